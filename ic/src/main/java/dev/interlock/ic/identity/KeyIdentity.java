package dev.interlock.ic.identity;

import dev.interlock.ic.Principal;

/**
 * What every key identity shares: the DER SubjectPublicKeyInfo ({@code prefix} of the key type, then the raw
 * public key) sent as {@code sender_pubkey}, and the self-authenticating principal derived from it.
 */
abstract class KeyIdentity implements Identity {
    private final byte[] der;
    private final Principal principal;

    KeyIdentity(byte[] derPrefix, byte[] rawPublicKey) {
        this.der = new byte[derPrefix.length + rawPublicKey.length];
        System.arraycopy(derPrefix, 0, der, 0, derPrefix.length);
        System.arraycopy(rawPublicKey, 0, der, derPrefix.length, rawPublicKey.length);
        this.principal = Principal.selfAuthenticating(der);
    }

    @Override
    public final Principal principal() {
        return principal;
    }

    @Override
    public final byte[] publicKeyDer() {
        return der.clone();
    }
}
