package dev.interlock.app;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.interlock.dashboard.DashboardConfig;
import dev.interlock.detector.runtime.DetectConfig;
import dev.interlock.ingest.runtime.IngestConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every configuration key the service declares, with its default, read from the
 * {@code @ConfigMapping} interfaces themselves, plus the Kafka, datasource and HTTP keys it
 * documents. Tests check the README and docker-compose.yml against this list.
 */
final class ConfigKeys {
    /** Keys owned by Quarkus or the Kafka client that Interlock documents; "" means no default. */
    static final Map<String, String> EXTERNAL = Map.of(
            "kafka.bootstrap.servers", "",
            "quarkus.datasource.jdbc.url", "",
            "quarkus.datasource.username", "",
            "quarkus.datasource.password", "",
            "quarkus.http.port", "8080");

    private ConfigKeys() {
    }

    /** key → default ("" when none). */
    static Map<String, String> all() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Class<?> mapping : new Class<?>[] {InterlockConfig.class, IngestConfig.class, DetectConfig.class,
                DashboardConfig.class}) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, keys);
        }
        keys.putAll(EXTERNAL);
        return keys;
    }

    private static void collect(String prefix, Class<?> type, Map<String, String> out) {
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
                continue;
            }
            String key = prefix + "." + kebab(m.getName());
            Class<?> r = m.getReturnType();
            if (Map.class.isAssignableFrom(r)) {
                // a named group: interlock.ingest.ledgers.<name>.*
                var value = ((java.lang.reflect.ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[1];
                collect(key + ".<name>", (Class<?>) value, out);
                continue;
            }
            if (r.isInterface() && r.getName().startsWith("dev.interlock")) {
                collect(key, r, out);
            } else {
                out.put(key, Optional.ofNullable(m.getAnnotation(WithDefault.class)).map(WithDefault::value).orElse(""));
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The key whose environment-variable form is {@code env}, if any. */
    static Optional<String> forEnv(String env) {
        return all().keySet().stream().filter(k -> StartupConfig.envName(k).equals(env)).findFirst();
    }
}
