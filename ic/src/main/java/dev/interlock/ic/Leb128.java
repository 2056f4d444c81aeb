package dev.interlock.ic;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/** LEB128 (unsigned) and SLEB128 (signed) encodings of arbitrary-precision integers. */
public final class Leb128 {
    private static final BigInteger MASK = BigInteger.valueOf(0x7f);

    private Leb128() {
    }

    public static byte[] unsigned(BigInteger n) {
        if (n.signum() < 0) {
            throw new IllegalArgumentException("LEB128 encodes non-negative numbers, got " + n);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BigInteger v = n;
        do {
            int b = v.and(MASK).intValue();
            v = v.shiftRight(7);
            out.write(v.signum() == 0 ? b : b | 0x80);
        } while (v.signum() != 0);
        return out.toByteArray();
    }

    public static byte[] unsigned(long n) {
        return unsigned(BigInteger.valueOf(n));
    }

    public static byte[] signed(BigInteger n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BigInteger v = n;
        while (true) {
            int b = v.and(MASK).intValue();
            v = v.shiftRight(7); // arithmetic shift
            boolean signBitSet = (b & 0x40) != 0;
            if ((v.signum() == 0 && !signBitSet) || (v.equals(BigInteger.ONE.negate()) && signBitSet)) {
                out.write(b);
                return out.toByteArray();
            }
            out.write(b | 0x80);
        }
    }

    /** Decodes a whole byte array as one unsigned LEB128 number; trailing bytes or a cut-off number are errors. */
    public static BigInteger readUnsigned(byte[] bytes) {
        BigInteger n = BigInteger.ZERO;
        int shift = 0;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            n = n.or(BigInteger.valueOf(b & 0x7f).shiftLeft(shift));
            shift += 7;
            if ((b & 0x80) == 0) {
                if (i != bytes.length - 1) {
                    throw new IllegalArgumentException("LEB128: " + (bytes.length - i - 1) + " trailing bytes after the number");
                }
                return n;
            }
        }
        throw new IllegalArgumentException("LEB128: number cut off after " + bytes.length + " bytes");
    }
}
