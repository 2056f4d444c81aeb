package dev.interlock.ic.identity;

import dev.interlock.ic.Principal;

/**
 * Who sends a request: the anonymous principal (unsigned requests), or a key pair whose
 * self-authenticating principal is derived from its DER public key. Signatures are over
 * {@code "\x0Aic-request" ‖ request id} (see {@link dev.interlock.ic.RequestId#signedBytes}).
 */
public interface Identity {
    Principal principal();

    /** The DER-encoded public key ({@code sender_pubkey}), or null for the anonymous identity. */
    byte[] publicKeyDer();

    /** The signature ({@code sender_sig}) of {@code message}, as the IC verifies it for this key type. */
    byte[] sign(byte[] message);

    /** What the key is, for logs: "anonymous", "secp256k1", "Ed25519". */
    String kind();

    Identity ANONYMOUS = new Identity() {
        @Override
        public Principal principal() {
            return Principal.ANONYMOUS;
        }

        @Override
        public byte[] publicKeyDer() {
            return null;
        }

        @Override
        public byte[] sign(byte[] message) {
            throw new UnsupportedOperationException("the anonymous identity does not sign");
        }

        @Override
        public String kind() {
            return "anonymous";
        }
    };
}
