package dev.interlock.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.interlock.ingest.source.SourceBatch;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;
import dev.interlock.testsupport.SharedServices;
import dev.interlock.testsupport.TopicReader;

class TransactionalPublisherTest {
    private final Map<String, Object> kafka = SharedServices.kafkaConfig();

    @Test
    void recordsAndCursorAreCommittedTogetherAndTheCursorIsReadBack() {
        CallEvent event = CallEvent.open("publisher-test/0", "rrkah-fqaaa-aaaaa-aaaaq-cai", 0, 1_000, "c1",
                "2vxsx-fae", "withdraw");
        String source = "publisher-test-a";
        try (TransactionalPublisher publisher = new TransactionalPublisher(kafka, source)) {
            publisher.publish(new SourceBatch(List.of(event),
                    List.of(new SourceBatch.Rejected("bad-key", "{oops".getBytes(), "line 3: not JSON")), "cursor-1"));
            publisher.publish(SourceBatch.of(List.of(), "cursor-2"));
        }

        assertThat(CursorStore.lastCursor(kafka, source, Duration.ofSeconds(10))).contains("cursor-2");
        List<ConsumerRecord<String, byte[]>> calls = TopicReader.readAll(kafka, Topics.CALLS).stream()
                .filter(r -> r.key().equals("rrkah-fqaaa-aaaaa-aaaaq-cai")).toList();
        assertThat(calls).extracting(r -> Json.decode(r.value(), CallEvent.class)).contains(event);
        ConsumerRecord<String, byte[]> quarantined = TopicReader.readAll(kafka, Topics.QUARANTINE).stream()
                .filter(r -> "bad-key".equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(quarantined.headers().lastHeader(Topics.HEADER_QUARANTINE_REASON).value()))
                .isEqualTo("line 3: not JSON");
        assertThat(new String(quarantined.headers().lastHeader(Topics.HEADER_QUARANTINE_SOURCE).value()))
                .isEqualTo("ingest/" + source);
    }

    @Test
    void aSourceWithoutCommittedCursorStartsFromTheBeginning() {
        assertThat(CursorStore.lastCursor(kafka, "never-published", Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aSecondInstanceOfTheSameSourceFencesTheFirstWhichCannotPublishAnymore() {
        String source = "publisher-test-fenced";
        try (TransactionalPublisher zombie = new TransactionalPublisher(kafka, source);
             TransactionalPublisher successor = new TransactionalPublisher(kafka, source)) {
            successor.publish(SourceBatch.of(List.of(), "successor-cursor"));

            assertThatThrownBy(() -> zombie.publish(SourceBatch.of(List.of(), "zombie-cursor")))
                    .isInstanceOfSatisfying(TransactionalPublisher.PublishException.class,
                            e -> assertThat(e.retryable()).as(e.getMessage()).isFalse());
        }
        assertThat(CursorStore.lastCursor(kafka, source, Duration.ofSeconds(10))).contains("successor-cursor");
    }
}
