package dev.interlock.model;

import java.io.IOException;
import java.math.BigInteger;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * The JSON codec of Interlock's topics. Unknown fields are ignored (newer producers may add
 * them), nulls are left out, and ledger amounts are strings so that no reader rounds them.
 */
public final class Json {
    private static final ObjectMapper MAPPER = create();
    /** One reader per type: resolving the type on every call costs more than parsing a small event. */
    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type);
        }
    };

    private Json() {
    }

    public static ObjectMapper create() {
        SimpleModule amounts = new SimpleModule("interlock-amounts");
        amounts.addSerializer(BigInteger.class, ToStringSerializer.instance);
        return JsonMapper.builder()
                .addModule(amounts)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                // Plain state classes keep fields without getters.
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .build();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** One writer per type, as for readers: every record published is encoded here. */
    private static final ClassValue<ObjectWriter> WRITERS = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return MAPPER.writerFor(type);
        }
    };

    public static byte[] encode(Object value) {
        try {
            return WRITERS.get(value.getClass()).writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes or throws {@link MalformedRecordException} naming what was wrong. */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new MalformedRecordException("empty record (null value)");
        }
        try {
            return READERS.get(type).readValue(bytes);
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("not a valid " + type.getSimpleName() + " JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedRecordException("not a valid " + type.getSimpleName() + " JSON: " + e.getMessage(), e);
        }
    }
}
