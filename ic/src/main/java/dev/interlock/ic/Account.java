package dev.interlock.ic;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * An ICRC-1 account: owner and optional 32-byte subaccount. Equality treats a null subaccount
 * and 32 zero bytes as the same account (as the ledger does), while {@link #rawSubaccount()}
 * keeps which of the two was written, because the ICRC-3 block hash differs.
 */
public final class Account {
    public static final int SUBACCOUNT_LENGTH = 32;
    private static final byte[] DEFAULT_SUBACCOUNT = new byte[SUBACCOUNT_LENGTH];

    private final Principal owner;
    private final byte[] subaccount;

    private Account(Principal owner, byte[] subaccount) {
        this.owner = owner;
        this.subaccount = subaccount;
    }

    public static Account of(Principal owner) {
        return new Account(owner, null);
    }

    public static Account of(Principal owner, byte[] subaccount) {
        if (subaccount != null && subaccount.length != SUBACCOUNT_LENGTH) {
            throw new IllegalArgumentException("a subaccount has 32 bytes, got " + subaccount.length);
        }
        return new Account(owner, subaccount == null ? null : subaccount.clone());
    }

    public Principal owner() {
        return owner;
    }

    /** The subaccount as written (null when absent). */
    public byte[] rawSubaccount() {
        return subaccount == null ? null : subaccount.clone();
    }

    /** The effective subaccount: 32 zero bytes when absent. */
    public byte[] effectiveSubaccount() {
        return subaccount == null ? DEFAULT_SUBACCOUNT.clone() : subaccount.clone();
    }

    public boolean isDefault() {
        return subaccount == null || Arrays.equals(subaccount, DEFAULT_SUBACCOUNT);
    }

    /** The ICRC-1 textual encoding (TextualEncoding.md). */
    public String toText() {
        if (isDefault()) {
            return owner.toString();
        }
        byte[] ownerBytes = owner.bytes();
        CRC32 crc = new CRC32();
        crc.update(ownerBytes);
        crc.update(subaccount);
        long c = crc.getValue();
        String checksum = Base32.encode(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        String hex = HexFormat.of().formatHex(subaccount).replaceFirst("^0+", "");
        return owner + "-" + checksum + "." + hex;
    }

    public static Account fromText(String text) {
        int dot = text.lastIndexOf('.');
        if (dot < 0) {
            return of(Principal.fromText(text));
        }
        String head = text.substring(0, dot);
        String hex = text.substring(dot + 1);
        int dash = head.lastIndexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("account '" + text + "' lacks a checksum");
        }
        Principal owner = Principal.fromText(head.substring(0, dash));
        if (hex.isEmpty() || hex.startsWith("0") || hex.length() > 64) {
            throw new IllegalArgumentException("account '" + text + "': subaccount hex must be 1..64 digits without "
                    + "leading zeros");
        }
        byte[] sub;
        try {
            sub = HexFormat.of().parseHex("0".repeat(64 - hex.length()) + hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("account '" + text + "': subaccount is not hex");
        }
        Account a = of(owner, sub);
        if (a.isDefault() || !a.toText().equals(text)) {
            throw new IllegalArgumentException("account '" + text + "' is not canonical (checksum or default subaccount)");
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Account a && owner.equals(a.owner)
                && Arrays.equals(effectiveSubaccount(), a.effectiveSubaccount());
    }

    @Override
    public int hashCode() {
        return owner.hashCode() * 31 + Arrays.hashCode(effectiveSubaccount());
    }

    @Override
    public String toString() {
        return toText();
    }
}
