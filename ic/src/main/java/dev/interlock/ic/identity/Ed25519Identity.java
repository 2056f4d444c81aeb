package dev.interlock.ic.identity;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import dev.interlock.ic.Principal;

/**
 * An Ed25519 key (identities made by older dfx versions). Signatures are plain Ed25519 over the
 * message (64 bytes); the public key is sent as DER SubjectPublicKeyInfo.
 */
public final class Ed25519Identity implements Identity {
    /** SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING (32 bytes) }. */
    private static final byte[] DER_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

    private final Ed25519PrivateKeyParameters key;
    private final byte[] der;
    private final Principal principal;

    /** From the 32-byte private key (seed). */
    public Ed25519Identity(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes, not " + seed.length);
        }
        this.key = new Ed25519PrivateKeyParameters(seed, 0);
        byte[] pub = key.generatePublicKey().getEncoded();
        this.der = new byte[DER_PREFIX.length + pub.length];
        System.arraycopy(DER_PREFIX, 0, der, 0, DER_PREFIX.length);
        System.arraycopy(pub, 0, der, DER_PREFIX.length, pub.length);
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
        return "Ed25519";
    }

    @Override
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }
}
