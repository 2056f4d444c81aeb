package dev.interlock.ic.identity;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;


/**
 * An Ed25519 key (identities made by older dfx versions). Signatures are plain Ed25519 over the
 * message (64 bytes); the public key is sent as DER SubjectPublicKeyInfo.
 */
public final class Ed25519Identity extends KeyIdentity {
    /** SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING (32 bytes) }. */
    private static final byte[] DER_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

    /** The DER bytes that precede the raw public key of an {@code Ed25519} key ({@code sender_pubkey}). */
    public static byte[] derPrefix() {
        return DER_PREFIX.clone();
    }

    private final Ed25519PrivateKeyParameters key;

    /** From the 32-byte private key (seed). */
    public Ed25519Identity(byte[] seed) {
        this(privateKey(seed));
    }

    private Ed25519Identity(Ed25519PrivateKeyParameters key) {
        super(DER_PREFIX, key.generatePublicKey().getEncoded());
        this.key = key;
    }

    private static Ed25519PrivateKeyParameters privateKey(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes, not " + seed.length);
        }
        return new Ed25519PrivateKeyParameters(seed, 0);
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
