package dev.interlock.sim.replica;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import dev.interlock.ic.Hashes;

/** Request signature checks of the fake replica: secp256k1 (low-S required, as on the IC) and Ed25519. */
final class Signatures {
    private static final byte[] SECP256K1 = dev.interlock.ic.identity.Secp256k1Identity.derPrefix();
    private static final byte[] ED25519 = dev.interlock.ic.identity.Ed25519Identity.derPrefix();
    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");

    private Signatures() {
    }

    static boolean verify(byte[] der, byte[] message, byte[] sig) {
        if (startsWith(der, SECP256K1) && der.length == SECP256K1.length + 65 && sig.length == 64) {
            BigInteger r = new BigInteger(1, Arrays.copyOf(sig, 32));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            if (s.compareTo(CURVE.getN().shiftRight(1)) > 0) {
                return false;
            }
            ECDSASigner v = new ECDSASigner();
            v.init(false, new ECPublicKeyParameters(CURVE.getCurve().decodePoint(Arrays.copyOfRange(der, SECP256K1.length, der.length)),
                    new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH())));
            return v.verifySignature(Hashes.sha256(message), r, s);
        }
        if (startsWith(der, ED25519) && der.length == ED25519.length + 32) {
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, new Ed25519PublicKeyParameters(der, ED25519.length));
            v.update(message, 0, message.length);
            return v.verifySignature(sig);
        }
        return false;
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }
}
