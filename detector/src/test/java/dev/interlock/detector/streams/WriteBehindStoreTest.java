package dev.interlock.detector.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link WriteBehindStore} writes at a commit: every write to the Kafka Streams store is a changelog
 * record, so what came and went between two commits must cost none. The store under it is Kafka Streams'
 * own in-memory store; the test records the writes it receives.
 */
class WriteBehindStoreTest {
    private KeyValueStore<String, String> real;
    private final List<String> writes = new ArrayList<>();
    private KeyValueStore<String, String> recorded;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void store() {
        real = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        real.init(new MockProcessorContext<>().getStateStoreContext(), real);
        recorded = (KeyValueStore<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put") || method.getName().equals("delete")) {
                        writes.add(method.getName() + " " + args[0] + (args.length > 1 ? "=" + args[1] : ""));
                    }
                    return method.invoke(real, args);
                });
    }

    @Test
    void anEntryPutAndDeletedBetweenTwoCommitsWritesNothing() {
        WriteBehindStore<String> s = new WriteBehindStore<>(recorded);
        s.put("a", "1");
        s.put("a", "2");
        s.delete("a");
        s.beforeCommit();

        assertThat(writes).isEmpty();
        assertThat(real.get("a")).isNull();
    }

    @Test
    void deletingAnEntryTheStoreHoldsWritesATombstone() {
        WriteBehindStore<String> s = new WriteBehindStore<>(recorded);
        s.put("a", "1");
        s.beforeCommit();
        s.put("a", "2");
        s.delete("a");
        s.beforeCommit();

        assertThat(writes).containsExactly("put a=1", "put a=null");
        assertThat(real.get("a")).isNull();
    }

    @Test
    void anEntryDeletedAndPutAgainBetweenCommitsIsWrittenOnceWithItsLastValue() {
        real.put("a", "stored");
        WriteBehindStore<String> s = new WriteBehindStore<>(recorded);
        s.delete("a");
        s.put("a", "again");
        s.delete("a"); // it was in the store: this deletion must reach it
        s.put("a", "last");
        s.beforeCommit();

        assertThat(writes).containsExactly("put a=last");
        assertThat(real.get("a")).isEqualTo("last");
    }

    @Test
    void anEntryLoadedFromTheStoreAndDeletedIsDeletedThere() {
        real.put("a", "stored");
        WriteBehindStore<String> s = new WriteBehindStore<>(recorded);
        s.delete("a");
        s.beforeCommit();

        assertThat(writes).containsExactly("put a=null");
        assertThat(real.get("a")).isNull();
    }

    @Test
    void anEntryThatCameAndWentIsFreshAgainAfterTheCommitOnlyIfTheStoreDoesNotHoldIt() {
        WriteBehindStore<String> s = new WriteBehindStore<>(recorded);
        s.put("a", "1");
        s.delete("a");
        s.beforeCommit();
        s.put("a", "2");
        s.beforeCommit();
        s.delete("a");
        s.beforeCommit();

        assertThat(writes).containsExactly("put a=2", "put a=null");
        assertThat(s.get("a")).isNull();
    }
}
