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
import dev.interlock.ic.Principal;

/**
 * A secp256k1 key, dfx's and icp-cli's default. Signatures are ECDSA over SHA-256 of the message,
 * deterministic (RFC 6979), 64 bytes {@code r ‖ s} with {@code s} in the lower half of the group order
 * (the IC rejects high-S signatures). The public key is sent as DER SubjectPublicKeyInfo with the
 * uncompressed point.
 */
public final class Secp256k1Identity implements Identity {
    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(),
            CURVE.getH());
    private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);
    /** SEQUENCE { SEQUENCE { id-ecPublicKey, secp256k1 }, BIT STRING (65 bytes) }. */
    private static final byte[] DER_PREFIX = java.util.HexFormat.of().parseHex("3056301006072a8648ce3d020106052b8104000a034200");

    private final BigInteger d;
    private final byte[] der;
    private final Principal principal;

    public Secp256k1Identity(BigInteger privateKey) {
        if (privateKey.signum() <= 0 || privateKey.compareTo(CURVE.getN()) >= 0) {
            throw new IllegalArgumentException("not a secp256k1 private key: out of range");
        }
        this.d = privateKey;
        ECPoint q = CURVE.getG().multiply(d).normalize();
        byte[] point = q.getEncoded(false);
        this.der = new byte[DER_PREFIX.length + point.length];
        System.arraycopy(DER_PREFIX, 0, der, 0, DER_PREFIX.length);
        System.arraycopy(point, 0, der, DER_PREFIX.length, point.length);
        this.principal = Principal.selfAuthenticating(der);
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public byte[] publicKeyDer() {
        return der.clone();
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
