package dev.interlock.ic.identity;

import java.math.BigInteger;

import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

import dev.interlock.ic.Hashes;

/**
 * A secp256k1 key, dfx's and icp-cli's default. Signatures are ECDSA over SHA-256 of the message,
 * deterministic (RFC 6979), 64 bytes {@code r ‖ s} with {@code s} in the lower half of the group order
 * (the IC rejects high-S signatures). The public key is sent as DER SubjectPublicKeyInfo with the
 * uncompressed point.
 */
public final class Secp256k1Identity extends KeyIdentity {
    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(),
            CURVE.getH());
    private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);
    /** SEQUENCE { SEQUENCE { id-ecPublicKey, secp256k1 }, BIT STRING (65 bytes) }. */
    private static final byte[] DER_PREFIX = java.util.HexFormat.of().parseHex("3056301006072a8648ce3d020106052b8104000a034200");

    /** The DER bytes that precede the raw public key of an {@code secp256k1} key ({@code sender_pubkey}). */
    public static byte[] derPrefix() {
        return DER_PREFIX.clone();
    }

    private final BigInteger d;

    public Secp256k1Identity(BigInteger privateKey) {
        super(DER_PREFIX, publicPoint(privateKey));
        this.d = privateKey;
    }

    /** The uncompressed point of the public key (65 bytes). */
    private static byte[] publicPoint(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(CURVE.getN()) >= 0) {
            throw new IllegalArgumentException("not a secp256k1 private key: out of range");
        }
        ECPoint q = CURVE.getG().multiply(d).normalize();
        return q.getEncoded(false);
    }

    @Override
    public String kind() {
        return "secp256k1";
    }

    @Override
    public byte[] sign(byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
        BigInteger[] rs = signer.generateSignature(Hashes.sha256(message));
        BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
        byte[] out = new byte[64];
        put32(rs[0], out, 0);
        put32(s, out, 32);
        return out;
    }

    private static void put32(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, at + 32 - len, len);
    }
}
