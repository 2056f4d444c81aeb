package dev.interlock.detector.streams;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import dev.interlock.detector.core.CanisterState;
import dev.interlock.model.Json;

/** JSON serde of the per-canister correlation state kept in the state store. */
public final class CanisterStateSerde implements Serde<CanisterState> {
    @Override
    public Serializer<CanisterState> serializer() {
        return (topic, state) -> state == null ? null : Json.encode(state);
    }

    @Override
    public Deserializer<CanisterState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : Json.decode(bytes, CanisterState.class);
    }
}
