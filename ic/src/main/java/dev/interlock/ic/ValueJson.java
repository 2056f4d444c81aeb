package dev.interlock.ic;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON form of a {@link Value}, used in Interlock's files and topics: a one-key object naming
 * the variant. {@code {"Blob":"<hex>"}}, {@code {"Text":"…"}}, {@code {"Nat":"123"}},
 * {@code {"Int":"-5"}} (numbers as strings: they are unbounded), {@code {"Array":[…]}},
 * {@code {"Map":[["key",{…}],…]}} (pairs, so that order and repeated keys survive).
 */
public final class ValueJson {
    private static final HexFormat HEX = HexFormat.of();

    private ValueJson() {
    }

    public static String write(Value v) {
        StringBuilder sb = new StringBuilder(256);
        write(v, sb);
        return sb.toString();
    }

    public static void write(Value v, StringBuilder sb) {
        if (v instanceof Value.Blob b) {
            sb.append("{\"Blob\":\"").append(HEX.formatHex(b.bytes())).append("\"}");
        } else if (v instanceof Value.Text t) {
            sb.append("{\"Text\":");
            JsonText.quote(t.value(), sb);
            sb.append('}');
        } else if (v instanceof Value.Nat n) {
            sb.append("{\"Nat\":\"").append(n.value()).append("\"}");
        } else if (v instanceof Value.Int i) {
            sb.append("{\"Int\":\"").append(i.value()).append("\"}");
        } else if (v instanceof Value.Array a) {
            sb.append("{\"Array\":[");
            for (int k = 0; k < a.items().size(); k++) {
                if (k > 0) {
                    sb.append(',');
                }
                write(a.items().get(k), sb);
            }
            sb.append("]}");
        } else if (v instanceof Value.Map m) {
            sb.append("{\"Map\":[");
            for (int k = 0; k < m.entries().size(); k++) {
                if (k > 0) {
                    sb.append(',');
                }
                sb.append('[');
                JsonText.quote(m.entries().get(k).key(), sb);
                sb.append(',');
                write(m.entries().get(k).value(), sb);
                sb.append(']');
            }
            sb.append("]}");
        }
    }

    /** Reads the JSON form back; the message of a failure names the path to the bad node. */
    public static Value read(JsonNode node) {
        return read(node, "$");
    }

    private static Value read(JsonNode node, String path) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException(path + ": a Value is an object with exactly one variant key");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode x = f.getValue();
        try {
            switch (f.getKey()) {
                case "Blob":
                    return new Value.Blob(HEX.parseHex(x.asText()));
                case "Text":
                    requireText(x, path);
                    return new Value.Text(x.asText());
                case "Nat":
                    return new Value.Nat(new BigInteger(x.asText()));
                case "Int":
                    return new Value.Int(new BigInteger(x.asText()));
                case "Array": {
                    List<Value> items = new ArrayList<>();
                    for (int i = 0; i < x.size(); i++) {
                        items.add(read(x.get(i), path + ".Array[" + i + "]"));
                    }
                    return new Value.Array(items);
                }
                case "Map": {
                    List<Value.Entry> entries = new ArrayList<>();
                    for (int i = 0; i < x.size(); i++) {
                        JsonNode pair = x.get(i);
                        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()) {
                            throw new IllegalArgumentException(path + ".Map[" + i + "]: expected [\"key\", value]");
                        }
                        entries.add(new Value.Entry(pair.get(0).asText(),
                                read(pair.get(1), path + "." + pair.get(0).asText())));
                    }
                    return new Value.Map(entries);
                }
                default:
                    throw new IllegalArgumentException(path + ": unknown Value variant '" + f.getKey() + "'");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": " + f.getKey() + " is not an integer: " + x);
        }
    }

    private static void requireText(JsonNode x, String path) {
        if (!x.isTextual()) {
            throw new IllegalArgumentException(path + ": Text must be a JSON string");
        }
    }
}
