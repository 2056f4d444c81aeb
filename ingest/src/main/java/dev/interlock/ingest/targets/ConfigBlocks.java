package dev.interlock.ingest.targets;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.WithDefault;

/**
 * A configuration block ({@code IngestConfig.Ledger}, {@code IngestConfig.CanisterLogs}) built from the values of a
 * table row, and back: the same interface, keys ({@code pages-per-poll}), defaults ({@code @WithDefault}) and value
 * syntax ({@code 2s}) as in configuration, so a source is built by the same code whichever way it was declared.
 * A key added to such an interface is understood here without further change.
 */
public final class ConfigBlocks {
    private ConfigBlocks() {
    }

    /** The keys of a block, in declaration order of their accessors' names. */
    public static List<String> keys(Class<?> block) {
        return accessors(block).stream().map(m -> key(m.getName())).toList();
    }

    /**
     * The block holding {@code values}; absent keys take their declared default.
     *
     * @throws IllegalArgumentException naming ({@code field}) an unknown key, a missing required one or a value of the wrong syntax
     */
    public static <T> T bind(Class<T> block, Map<String, String> values, UnaryOperator<String> field) {
        Map<String, Method> byKey = new LinkedHashMap<>();
        accessors(block).forEach(m -> byKey.put(key(m.getName()), m));
        for (String k : values.keySet()) {
            if (!byKey.containsKey(k)) {
                throw new IllegalArgumentException(field.apply(k) + ": unknown setting; known: " + String.join(", ", new TreeSet<>(byKey.keySet())));
            }
        }
        Map<String, Object> bound = new LinkedHashMap<>();
        for (Map.Entry<String, Method> e : byKey.entrySet()) {
            Method m = e.getValue();
            String raw = values.get(e.getKey());
            if (raw == null && m.isAnnotationPresent(WithDefault.class)) {
                raw = m.getAnnotation(WithDefault.class).value();
            }
            bound.put(m.getName(), convert(m.getGenericReturnType(), raw, field.apply(e.getKey())));
        }
        Object proxy = Proxy.newProxyInstance(block.getClassLoader(), new Class<?>[] {block}, (p, method, args) -> switch (method.getName()) {
            case "toString" -> block.getSimpleName() + bound;
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == args[0];
            default -> bound.get(method.getName());
        });
        return block.cast(proxy);
    }

    /** Every key of {@code instance} with its value written as configuration would take it (absent optionals left out). */
    public static <T> Map<String, String> values(Class<T> block, T instance) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Method m : accessors(block)) {
            Object v;
            try {
                v = m.invoke(instance);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + m, e);
            }
            if (v instanceof Optional<?> o) {
                v = o.orElse(null);
            } else if (v instanceof java.util.OptionalInt o) {
                v = o.isPresent() ? o.getAsInt() : null;
            } else if (v instanceof java.util.OptionalLong o) {
                v = o.isPresent() ? o.getAsLong() : null;
            } else if (v instanceof java.util.OptionalDouble o) {
                v = o.isPresent() ? o.getAsDouble() : null;
            }
            if (v != null) {
                out.put(key(m.getName()), write(v));
            }
        }
        return out;
    }

    private static List<Method> accessors(Class<?> block) {
        return Arrays.stream(block.getMethods()).filter(m -> m.getParameterCount() == 0 && !m.isDefault()
                && !java.lang.reflect.Modifier.isStatic(m.getModifiers())).sorted(java.util.Comparator.comparing(Method::getName)).toList();
    }

    /** {@code pagesPerPoll} → {@code pages-per-poll}, as SmallRye Config names mapping keys. */
    static String key(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Object convert(Type type, String raw, String field) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(convert(p.getActualTypeArguments()[0], raw, field));
        }
        if (type == java.util.OptionalInt.class) {
            return raw == null || raw.isBlank() ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) convert(int.class, raw, field));
        }
        if (type == java.util.OptionalLong.class) {
            return raw == null || raw.isBlank() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of((long) convert(long.class, raw, field));
        }
        if (type == java.util.OptionalDouble.class) {
            return raw == null || raw.isBlank() ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of((double) convert(double.class, raw, field));
        }
        if (raw == null) {
            throw new IllegalArgumentException(field + ": missing");
        }
        String v = raw.trim();
        try {
            if (type == String.class) {
                return v;
            } else if (type == int.class || type == Integer.class) {
                return Integer.parseInt(v);
            } else if (type == long.class || type == Long.class) {
                return Long.parseLong(v);
            } else if (type == double.class || type == Double.class) {
                return Double.parseDouble(v);
            } else if (type == boolean.class || type == Boolean.class) {
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException("not true or false");
                }
                return Boolean.parseBoolean(v);
            } else if (type == Duration.class) {
                return DurationConverter.parseDuration(v);
            } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
                return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(s -> convert(p.getActualTypeArguments()[0], s, field)).toList();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + raw + "' is not " + describe(type), e);
        }
        throw new IllegalStateException(field + ": settings of type " + type + " are not supported yet");
    }

    private static String describe(Type type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "a whole number";
        } else if (type == double.class || type == Double.class) {
            return "a number";
        } else if (type == Duration.class) {
            return "a duration (such as 500ms, 2s, 5m or PT2S)";
        }
        return "a " + type.getTypeName();
    }

    private static String write(Object v) {
        if (v instanceof Duration d) {
            long ms = d.toMillis();
            return ms % 60_000 == 0 && ms > 0 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
        if (v instanceof List<?> l) {
            return String.join(",", l.stream().map(ConfigBlocks::write).toList());
        }
        return v.toString();
    }
}
