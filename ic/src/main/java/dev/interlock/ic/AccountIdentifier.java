package dev.interlock.ic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The ICP ledger's 32-byte account identifier: CRC32(h) ‖ h, where
 * h = SHA-224("\x0Aaccount-id" ‖ owner principal ‖ 32-byte subaccount). One-way: an identifier
 * cannot be turned back into its account.
 */
public final class AccountIdentifier {
    private static final byte[] DOMAIN = "\naccount-id".getBytes(StandardCharsets.US_ASCII);

    private AccountIdentifier() {
    }

    public static byte[] of(Account account) {
        MessageDigest sha224;
        try {
            sha224 = MessageDigest.getInstance("SHA-224");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha224.update(DOMAIN);
        sha224.update(account.owner().bytes());
        sha224.update(account.effectiveSubaccount());
        return withChecksum(sha224.digest());
    }

    /** CRC32(h) big-endian ‖ h for a 28-byte hash. */
    private static byte[] withChecksum(byte[] h) {
        long c = crc(h, 0);
        byte[] out = new byte[32];
        out[0] = (byte) (c >>> 24);
        out[1] = (byte) (c >>> 16);
        out[2] = (byte) (c >>> 8);
        out[3] = (byte) c;
        System.arraycopy(h, 0, out, 4, 28);
        return out;
    }

    /**
     * The 32-byte form of an identifier as the ICP ledger stores it: 32 bytes whose CRC32 prefix must
     * match, or the bare 28-byte hash (the prefix is computed).
     */
    public static byte[] normalize(byte[] id) {
        if (id.length == 28) {
            return withChecksum(id);
        }
        if (id.length != 32) {
            throw new IllegalArgumentException("an account identifier has 32 bytes (or 28 without checksum), not " + id.length);
        }
        long c = crc(id, 4);
        long stored = ((id[0] & 0xffL) << 24) | ((id[1] & 0xffL) << 16) | ((id[2] & 0xffL) << 8) | (id[3] & 0xffL);
        if (c != stored) {
            throw new IllegalArgumentException("account identifier " + HexFormat.of().formatHex(id) + ": checksum "
                    + String.format("%08x", stored) + " does not match its hash (" + String.format("%08x", c) + ")");
        }
        return id.clone();
    }

    private static long crc(byte[] b, int from) {
        CRC32 crc = new CRC32();
        crc.update(b, from, 28);
        return crc.getValue();
    }

    public static String hex(Account account) {
        return HexFormat.of().formatHex(of(account));
    }
}
