package dev.interlock.ingest.targets;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/targets}: {@code name}, {@code type}, {@code canister}, optional {@code gateway},
 * optional {@code settings} (an object of configuration keys to strings or numbers) and optional
 * {@code testFetch} (default true). Every mistake names its field.
 */
public record TargetRequest(TargetSpec spec, boolean testFetch) {
    private static final Set<String> FIELDS = Set.of("name", "type", "canister", "gateway", "settings", "testFetch");

    /** How the API names a configuration key: canister and gateway are fields of their own, the rest are settings. */
    public static final UnaryOperator<String> FIELD = k -> k.equals("canister") || k.equals("gateway") ? k : "settings." + k;

    /** @throws IllegalArgumentException naming the field that is missing, unknown or of the wrong kind */
    public static TargetRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with name, type, canister and optionally gateway, "
                    + "settings and testFetch");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(f + ": unknown field; known: canister, gateway, name, settings, testFetch, type");
            }
        }
        String name = text(body, "name", true);
        if (!TargetSpec.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit");
        }
        Map<String, String> settings = new TreeMap<>();
        JsonNode s = body.get("settings");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) {
                throw new IllegalArgumentException("settings: must be an object of setting names to values");
            }
            s.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new IllegalArgumentException("settings." + e.getKey() + ": must be a string, number or boolean");
                }
                if (e.getKey().equals("canister") || e.getKey().equals("gateway")) {
                    throw new IllegalArgumentException("settings." + e.getKey() + ": give it as the field " + e.getKey() + " instead");
                }
                settings.put(e.getKey(), e.getValue().asText());
            });
        }
        JsonNode t = body.get("testFetch");
        if (t != null && !t.isBoolean()) {
            throw new IllegalArgumentException("testFetch: must be true or false");
        }
        return new TargetRequest(new TargetSpec(name, text(body, "type", true), text(body, "canister", true), text(body, "gateway", false),
                settings), t == null || t.asBoolean());
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": missing");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": must be a non-empty string");
        }
        return n.asText().trim();
    }
}
