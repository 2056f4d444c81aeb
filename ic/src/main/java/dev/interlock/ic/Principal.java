package dev.interlock.ic;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * An IC principal: up to 29 bytes, written as base32 (RFC 4648, lower case, no padding) of
 * CRC32(bytes) ‖ bytes, in groups of five characters joined by dashes.
 */
public final class Principal implements Comparable<Principal> {
    public static final int MAX_LENGTH = 29;
    public static final Principal ANONYMOUS = new Principal(new byte[] {0x04});
    public static final Principal MANAGEMENT = new Principal(new byte[0]);

    private final byte[] bytes;
    private final String text;

    private Principal(byte[] bytes) {
        this.bytes = bytes.clone();
        this.text = encode(this.bytes);
    }

    public static Principal of(byte[] bytes) {
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a principal has at most 29 bytes, got " + bytes.length);
        }
        return new Principal(bytes);
    }

    /** Parses the text form, checking its grouping and checksum. */
    public static Principal fromText(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty principal text");
        }
        String compact = text.replace("-", "").toLowerCase(Locale.ROOT);
        byte[] decoded;
        try {
            decoded = Base32.decode(compact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("principal '" + text + "': " + e.getMessage());
        }
        if (decoded.length < 4) {
            throw new IllegalArgumentException("principal '" + text + "' is too short");
        }
        byte[] body = Arrays.copyOfRange(decoded, 4, decoded.length);
        Principal p = of(body);
        if (!p.text.equals(text)) {
            throw new IllegalArgumentException("principal '" + text + "' is not canonical (checksum or grouping); "
                    + "expected '" + p.text + "' for its bytes");
        }
        return p;
    }

    /** Self-authenticating principal: SHA-224 of the DER public key, then 0x02. */
    public static Principal selfAuthenticating(byte[] derPublicKey) {
        byte[] h = Hashes.sha224(derPublicKey);
        byte[] b = Arrays.copyOf(h, h.length + 1);
        b[h.length] = 0x02;
        return new Principal(b);
    }

    /** An opaque canister id from a 64-bit index, as the IC allocates them (index ‖ 0x01 0x01). */
    public static Principal canister(long index) {
        byte[] b = new byte[10];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (index >>> (56 - 8 * i));
        }
        b[8] = 0x01;
        b[9] = 0x01;
        return new Principal(b);
    }

    static String encode(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        long c = crc.getValue();
        byte[] full = new byte[bytes.length + 4];
        full[0] = (byte) (c >>> 24);
        full[1] = (byte) (c >>> 16);
        full[2] = (byte) (c >>> 8);
        full[3] = (byte) c;
        System.arraycopy(bytes, 0, full, 4, bytes.length);
        String b32 = Base32.encode(full);
        StringBuilder sb = new StringBuilder(b32.length() + b32.length() / 5);
        for (int i = 0; i < b32.length(); i += 5) {
            if (i > 0) {
                sb.append('-');
            }
            sb.append(b32, i, Math.min(i + 5, b32.length()));
        }
        return sb.toString();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isAnonymous() {
        return equals(ANONYMOUS);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Principal p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Principal o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
