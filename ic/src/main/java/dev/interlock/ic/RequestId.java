package dev.interlock.ic;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The request id of an IC HTTP request: the representation-independent hash of its
 * {@code content} map, in which a blob hashes as SHA-256 of its bytes, a text as SHA-256 of its
 * UTF-8, a nat as SHA-256 of its LEB128, an array as SHA-256 of its elements' hashes concatenated,
 * and a map as SHA-256 of its (hash(key) ‖ hash(value)) pairs, sorted. A signed request signs
 * {@link #signedBytes(byte[])}: {@code "\x0Aic-request"} followed by the id.
 */
public final class RequestId {
    private static final byte[] DOMAIN = "\nic-request".getBytes(StandardCharsets.US_ASCII);

    private RequestId() {
    }

    /** Values: byte[] (blob), String (text), Long/Integer/BigInteger (nat), List (array), Map (nested map). */
    public static byte[] of(Map<String, ?> content) {
        return hash(content);
    }

    public static byte[] signedBytes(byte[] requestId) {
        byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + requestId.length);
        System.arraycopy(requestId, 0, out, DOMAIN.length, requestId.length);
        return out;
    }

    private static byte[] hash(Object v) {
        if (v instanceof byte[] bytes) {
            return Hashes.sha256(bytes);
        }
        if (v instanceof String s) {
            return Hashes.sha256(s.getBytes(StandardCharsets.UTF_8));
        }
        if (v instanceof Long || v instanceof Integer) {
            return Hashes.sha256(Leb128.unsigned(BigInteger.valueOf(((Number) v).longValue())));
        }
        if (v instanceof BigInteger n) {
            return Hashes.sha256(Leb128.unsigned(n));
        }
        if (v instanceof List<?> list) {
            List<byte[]> parts = new ArrayList<>();
            list.forEach(item -> parts.add(hash(item)));
            MessageDigest md = Hashes.sha256();
            parts.forEach(md::update);
            return md.digest();
        }
        if (v instanceof Map<?, ?> map) {
            List<byte[]> pairs = new ArrayList<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                byte[] pair = new byte[64];
                System.arraycopy(hash((String) e.getKey()), 0, pair, 0, 32);
                System.arraycopy(hash(e.getValue()), 0, pair, 32, 32);
                pairs.add(pair);
            }
            pairs.sort(Arrays::compareUnsigned);
            MessageDigest md = Hashes.sha256();
            pairs.forEach(md::update);
            return md.digest();
        }
        throw new IllegalArgumentException("cannot hash a " + (v == null ? "null" : v.getClass().getSimpleName())
                + " in request content");
    }
}
