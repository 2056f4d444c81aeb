package dev.interlock.detector.streams;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import dev.interlock.model.Json;

/** JSON serde (via {@link Json}) of the entries the cross-canister stages keep in their stores. */
final class JsonSerde<T> implements Serde<T> {
    private final Class<T> type;

    JsonSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : Json.encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : Json.decode(bytes, type);
    }
}
