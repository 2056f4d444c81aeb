package dev.interlock.ingest.source.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * The configured ingest tokens. A presented token is compared with every configured one in constant time
 * (SHA-256 digests compared with {@link MessageDigest#isEqual}, all of them, whatever matched), so neither
 * the position nor the length of a mismatch shows in the time taken. Tokens are never logged.
 */
public final class IngestTokens {
    private final byte[][] digests;

    public IngestTokens(List<String> tokens) {
        this.digests = tokens.stream().map(String::strip).filter(t -> !t.isEmpty()).map(IngestTokens::sha256)
                .toArray(byte[][]::new);
    }

    /** True when no token is configured: the endpoint is disabled. */
    public boolean none() {
        return digests.length == 0;
    }

    public int count() {
        return digests.length;
    }

    /**
     * The index of the configured token an {@code Authorization} header carries ({@code Bearer <token>}),
     * -1 for an unknown token, -2 when the header is missing or not a bearer token.
     */
    public int match(String authorization) {
        if (authorization == null) {
            return -2;
        }
        String a = authorization.strip();
        if (a.length() < 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return -2;
        }
        String token = a.substring(7).strip();
        if (token.isEmpty()) {
            return -2;
        }
        byte[] presented = sha256(token);
        int found = -1;
        for (int i = 0; i < digests.length; i++) {
            if (MessageDigest.isEqual(digests[i], presented) & found < 0) {
                found = i;
            }
        }
        return found;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
