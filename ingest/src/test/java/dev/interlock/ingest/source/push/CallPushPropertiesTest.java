package dev.interlock.ingest.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.interlock.ic.Principal;
import dev.interlock.ingest.calls.MemorySink;
import dev.interlock.ingest.calls.RejectReason;
import dev.interlock.model.CallEvent;
import dev.interlock.model.LogLine;

/**
 * Garbage pushed to {@code POST /api/ingest/calls}, at handler level: whatever the body (invalid UTF-8, NULs,
 * over-long lines, CR/LF mixes, deep nesting, numbers out of range, wrong types in every field, trace lines
 * broken every way, read in chunks of any size), the batch is answered 200, every non-blank line is accepted
 * or rejected with its number, code and reason, every rejected line is quarantined, and the valid records
 * among the garbage are all published.
 */
class CallPushPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = CallPushHandlerTest.TOKEN;
    /** The canister of the valid lines; garbage never names it, so it cannot collide with their idx. */
    private static final String VALID = Principal.canister(7201).toString();
    /** The canister garbage that parses names. */
    private static final String OTHER = Principal.canister(7202).toString();
    private static final String CALLER = Principal.canister(7203).toString();
    private static final int MAX_LINE = 65_536;
    private static final Set<String> CODES = Set.of(java.util.Arrays.stream(RejectReason.values()).map(RejectReason::tag)
            .toArray(String[]::new));
    /** JSON values of every type and none, and numbers out of every range. */
    private static final List<String> JUNK = List.of("null", "true", "false", "[]", "{}", "\"\"", "\"x\"", "1.5", "-1", "0",
            "-0", "1e400", "-1e400", "1E2", "0.0", "18446744073709551616", "9223372036854775808", "9223372036854775807",
            "-9223372036854775809", "99999999999999999999999999999999999999", "[1,2]", "{\"a\":1}", "\"\\u0000\"",
            "\"\\ud800\"", "NaN", "Infinity", "01", "\"1767225600000000000\"", "\"2026-01-01T00:00:00Z\"", "\"aaaaa-aa\"",
            "\"" + OTHER + "\"", "\"" + OTHER.toUpperCase() + "\"", "\"2vxsx-fae\"", "\"" + OTHER + "-aaaaa\"",
            "\"ILK1 {}\"", "\"[TRAP]: oops\"", "1767225590000000000", "1", "2", "\"" + "a".repeat(300) + "\"");

    // ---- the properties

    @Property(tries = 300)
    void anyBodyIsAnswered200AndEveryNonBlankLineIsAcceptedOrRejectedWithItsNumberAndReason(
            @ForAll("garbageBodies") byte[] body, @ForAll("chunkSeeds") long chunking) {
        MemorySink sink = new MemorySink();
        CallPushHandler.Response r = handler(sink).handle("Bearer " + TOKEN, body.length, new Trickle(body, chunking));

        assertAccountedFor(r, body, sink);
    }

    @Property(tries = 200)
    void validLinesAmongGarbageAreAllAcceptedAndPublished(@ForAll("mixedBatches") Batch batch,
            @ForAll("chunkSeeds") long chunking) {
        MemorySink sink = new MemorySink();
        CallPushHandler.Response r = handler(sink).handle("Bearer " + TOKEN, -1, new Trickle(batch.body(), chunking));

        List<Map<String, Object>> rejected = assertAccountedFor(r, batch.body(), sink);
        assertThat(rejected).extracting(m -> (Long) m.get("line")).doesNotContainAnyElementsOf(batch.validLineNumbers());
        assertThat((long) r.body().get("accepted")).isGreaterThanOrEqualTo(batch.validIdx().size());
        Set<Long> published = new HashSet<>();
        sink.records.forEach(rec -> {
            if (rec instanceof CallEvent e && e.canister().equals(VALID)) {
                published.add(e.seq());
            } else if (rec instanceof LogLine l && l.canister().equals(VALID)) {
                published.add(l.idx());
            }
        });
        assertThat(published).containsExactlyInAnyOrderElementsOf(batch.validIdx());
        assertThat(sink.cursors).containsEntry(VALID, (long) batch.validIdx().size() - 1);
    }

    /** Found by the first property: the trace check threw a NullPointerException, and the whole batch was answered 503. */
    @Example
    void aJournalResultWithoutOkIsRejectedAsATraceFormatLineNotAnUnavailableBatch() {
        MemorySink sink = new MemorySink();
        byte[] body = (record(OTHER, 0, "ILK1 {\"e\":\"jr\",\"x\":\"c1\",\"j\":\"c1\"}") + "\n" + record(OTHER, 1, "hello"))
                .getBytes(StandardCharsets.UTF_8);

        CallPushHandler.Response r = handler(sink).handle("Bearer " + TOKEN, body.length, new java.io.ByteArrayInputStream(body));

        assertThat(r.status()).isEqualTo(200);
        assertThat(assertAccountedFor(r, body, sink)).singleElement().satisfies(m -> assertThat(m)
                .containsEntry("line", 1L).containsEntry("code", "trace-format")
                .containsEntry("reason", "field \"ok\" is required for \"jr\""));
        assertThat(r.body()).containsEntry("accepted", 1L);
    }

    /** The reply's counts against the body itself; returns the listed rejections. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> assertAccountedFor(CallPushHandler.Response r, byte[] body, MemorySink sink) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        List<Long> nonBlank = nonBlankLineNumbers(body);
        long lines = (long) r.body().get("lines");
        long accepted = (long) r.body().get("accepted");
        int rejectedCount = (int) r.body().get("rejectedCount");
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) r.body().get("rejected");

        assertThat(lines).isEqualTo(nonBlank.size());
        assertThat(accepted + rejectedCount).isEqualTo(lines);
        assertThat(rejected).hasSize(Math.min(rejectedCount, CallPushHandler.MAX_LISTED));
        assertThat(sink.quarantined).hasSize(rejectedCount);
        Set<Long> seen = new HashSet<>();
        for (Map<String, Object> m : rejected) {
            long line = (Long) m.get("line");
            assertThat(nonBlank).as("rejected line %s is a non-blank line of the body", m).contains(line);
            assertThat(seen.add(line)).as("line %d rejected once", line).isTrue();
            assertThat((String) m.get("code")).isIn(CODES);
            assertThat((String) m.get("reason")).as("reason of line %d", line).isNotBlank();
        }
        return rejected;
    }

    private static CallPushHandler handler(MemorySink sink) {
        return new CallPushHandler(new CallPushHandler.Settings(List.of(TOKEN), 8L << 20, MAX_LINE, 1e9, 1_000_000,
                Duration.ofMinutes(5)), () -> sink, CallPushHandlerTest.CLOCK, System::nanoTime, new CallPushHandler.Listener() {
                });
    }

    /** 1-based numbers of the lines the handler counts: split at \n, one trailing \r dropped, not blank UTF-8. */
    static List<Long> nonBlankLineNumbers(byte[] body) {
        List<Long> out = new ArrayList<>();
        int start = 0;
        long number = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i < body.length && body[i] != '\n') {
                continue;
            }
            int end = i;
            if (i == body.length && end == start) {
                break; // nothing after the last \n
            }
            number++;
            if (end > start && body[end - 1] == '\r') {
                end--;
            }
            if (end - start > MAX_LINE || !isBlankUtf8(body, start, end)) {
                out.add(number);
            }
            start = i + 1;
        }
        return out;
    }

    private static boolean isBlankUtf8(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from)).toString()
                    .isBlank();
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---- bodies

    @Provide
    Arbitrary<Long> chunkSeeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<byte[]> garbageBodies() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(4_000);
        Arbitrary<byte[]> lines = Combinators.combine(garbageLine().list().ofMaxSize(40), separator().list().ofMinSize(40)
                .ofMaxSize(40)).as((ls, seps) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (int i = 0; i < ls.size(); i++) {
                        out.writeBytes(ls.get(i));
                        out.writeBytes(seps.get(i));
                    }
                    return out.toByteArray();
                });
        return Arbitraries.frequencyOf(Tuple.of(1, raw), Tuple.of(4, lines));
    }

    /** The body, the line numbers of its valid lines and their idx (0, 1, … in order). */
    record Batch(byte[] body, List<Long> validLineNumbers, List<Long> validIdx) {
        @Override
        public String toString() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<Batch> mixedBatches() {
        Arbitrary<List<String>> valid = Arbitraries.integers().between(1, 6).list().ofMinSize(1).ofMaxSize(8)
                .map(CallPushPropertiesTest::validMessages);
        return Combinators.combine(valid, garbageLine().list().ofMaxSize(30), separator().list().ofSize(60),
                Arbitraries.longs()).as((good, junk, seps, seed) -> {
                    Random order = new Random(seed);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    List<Long> numbers = new ArrayList<>();
                    List<Long> idx = new ArrayList<>();
                    long number = 1;
                    int g = 0;
                    int j = 0;
                    int s = 0;
                    while (g < good.size() || j < junk.size()) {
                        boolean takeGood = j == junk.size() || (g < good.size() && order.nextBoolean());
                        if (takeGood) {
                            numbers.add(number);
                            idx.add((long) g);
                            out.writeBytes(good.get(g++).getBytes(StandardCharsets.UTF_8));
                        } else {
                            out.writeBytes(junk.get(j++));
                        }
                        byte[] sep = seps.get(s++ % seps.size());
                        out.writeBytes(sep);
                        for (byte b : sep) {
                            number += b == '\n' ? 1 : 0;
                        }
                    }
                    return new Batch(out.toByteArray(), numbers, idx);
                });
    }

    /** Whole messages of the valid canister (in, then writes, reads and prints, then rep), idx 0, 1, … */
    private static List<String> validMessages(List<Integer> sizes) {
        List<String> lines = new ArrayList<>();
        for (int m = 0; m < sizes.size(); m++) {
            String x = "c" + m;
            lines.add(record(VALID, lines.size(), "ILK1 {\"e\":\"in\",\"x\":\"" + x + "\",\"m\":\"withdraw\",\"f\":\"" + CALLER + "\"}"));
            for (int i = 0; i < sizes.get(m); i++) {
                lines.add(record(VALID, lines.size(), switch (i % 3) {
                    case 0 -> "ILK1 {\"e\":\"wr\",\"x\":\"" + x + "\",\"k\":\"balance:" + CALLER + "\",\"v\":\"" + i + "\"}";
                    case 1 -> "ILK1 {\"e\":\"rd\",\"x\":\"" + x + "\",\"k\":\"paid:" + CALLER + "\"}";
                    default -> "debug: grüße \u0000 \"quoted\" \\ line\nsecond line " + i;
                }));
            }
            lines.add(record(VALID, lines.size(), "ILK1 {\"e\":\"rep\",\"x\":\"" + x + "\"}"));
        }
        return lines;
    }

    private static String record(String canister, long idx, String content) {
        ObjectNode n = JSON.createObjectNode().put("canister", canister).put("idx", idx)
                .put("ts", CallPushHandlerTest.TS + idx).put("content", content);
        return n.toString();
    }

    private static Arbitrary<byte[]> separator() {
        return Arbitraries.of("\n", "\r\n", "\n\n", "\r\n\r\n", "\n \t\n", "\r\r\n").map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** One line of garbage (no \n in it). */
    static Arbitrary<byte[]> garbageLine() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> text = Arbitraries.strings().all().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<String> junk = Arbitraries.of(JUNK);
        Arbitrary<String> anyValue = Arbitraries.oneOf(junk, Arbitraries.strings().all().ofMaxLength(40).map(JSON::valueToTree)
                .map(Object::toString), Arbitraries.longs().map(String::valueOf));
        // every field present, absent or of any type, in any order, sometimes twice
        Arbitrary<byte[]> wrongTypes = Combinators.combine(
                Arbitraries.of("canister", "idx", "ts", "timestamp_nanos", "content", "v", "extra").list().ofMaxSize(8),
                anyValue.list().ofSize(8)).as((names, values) -> {
                    StringBuilder b = new StringBuilder("{");
                    for (int i = 0; i < names.size(); i++) {
                        b.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\":").append(values.get(i));
                    }
                    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> numbers = Combinators.combine(junk, junk, Arbitraries.of("ts", "timestamp_nanos")).as((idx, ts, tsName) ->
                ("{\"canister\":\"" + OTHER + "\",\"idx\":" + idx + ",\"" + tsName + "\":" + ts + ",\"content\":\"x\"}")
                        .getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> nested = Combinators.combine(Arbitraries.integers().between(1, 3_000), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of(true, false)).as((depth, open, inField) -> {
                    String close = open.equals("[") ? "]" : "}";
                    String deep = open.repeat(depth) + "1" + close.repeat(depth);
                    String line = inField ? "{\"canister\":\"" + OTHER + "\",\"idx\":1,\"ts\":1767225590000000000,\"content\":" + deep
                            + "}" : deep;
                    return line.getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> traces = Combinators.combine(traceContent(), Arbitraries.longs().between(0, 50)).as((content, idx) ->
                record(OTHER, idx, content).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> huge = Arbitraries.integers().between(MAX_LINE - 100, MAX_LINE + 40_000).map(n ->
                record(OTHER, 3, "y".repeat(n)).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> mutated = Combinators.combine(traceContent(), Arbitraries.longs(), Arbitraries.integers().between(1, 6))
                .as((content, seed, flips) -> {
                    byte[] b = record(OTHER, 5, content).getBytes(StandardCharsets.UTF_8);
                    Random random = new Random(seed);
                    for (int k = 0; k < flips; k++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                    return b;
                });
        Arbitrary<byte[]> odd = Arbitraries.of("\uFEFF" + record(OTHER, 1, "bom"), record(OTHER, 1, "a") + " " + record(OTHER, 2, "b"),
                "{\"canister\":\"" + OTHER + "\",\"canister\":\"" + OTHER + "\",\"idx\":1,\"ts\":1767225590000000000,\"content\":\"d\"}",
                "[" + record(OTHER, 1, "in an array") + "]", "\"just a string\"", "42", "null", "{", "}", "\u2028\u2029\u0085",
                "\u0000\u0000\u0000", "\r", "\r\r", "{\"v\":1}").map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(Tuple.of(3, bytes), Tuple.of(2, text), Tuple.of(4, wrongTypes), Tuple.of(2, numbers),
                Tuple.of(1, nested), Tuple.of(4, traces), Tuple.of(1, huge), Tuple.of(2, mutated), Tuple.of(2, odd))
                .map(CallPushPropertiesTest::withoutNewlines);
    }

    /** A trace line's content broken every way: junk in each field, unknown codes and versions, deep nesting. */
    private static Arbitrary<String> traceContent() {
        Arbitrary<String> junk = Arbitraries.of(JUNK);
        Arbitrary<String> code = Arbitraries.of("in", "cb", "cu", "call", "sf", "rep", "rej", "rd", "wr", "ga", "gr", "ji", "jr",
                "zz", "");
        Arbitrary<String> field = Arbitraries.of("e", "x", "m", "f", "k", "r", "c", "o", "b", "err", "dup", "rc", "rm", "to", "w",
                "tx", "amt", "from", "memo", "ts", "v", "g", "ok", "j", "op", "thr");
        Arbitrary<String> fields = Combinators.combine(field.list().ofMaxSize(8), junk.list().ofSize(8)).as((names, values) -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                b.append(',').append('"').append(names.get(i)).append("\":").append(values.get(i));
            }
            return b.toString();
        });
        Arbitrary<String> broken = Combinators.combine(code, fields).as((e, f) -> "ILK1 {\"e\":\"" + e + "\",\"x\":\"c1\"" + f + "}");
        Arbitrary<String> tx = Combinators.combine(junk, junk, junk).as((to, amt, ts) -> "ILK1 {\"e\":\"call\",\"x\":\"c1\",\"c\":\"k1\","
                + "\"to\":\"" + OTHER + "\",\"m\":\"icrc1_transfer\",\"w\":\"u\",\"tx\":{\"to\":" + to + ",\"amt\":" + amt
                + ",\"ts\":" + ts + "}}");
        Arbitrary<String> heads = Arbitraries.of("ILK1", "ILK1 ", "ILK1{", "ILK9 {}", "ILK0 {}", "ILK99999999999999999999 {}",
                "ILK-1 {}", "ILK {}", "ilk1 {}", "ILK1 []", "ILK1 null", "ILK1 {\"e\":\"in\"} trailing", "[TRAP]:", "[TRAP]: \u0000",
                "Panicked at 'x'", "ILK1 " + "[".repeat(5_000), "ILK1 " + "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000));
        return Arbitraries.frequencyOf(Tuple.of(5, broken), Tuple.of(2, tx), Tuple.of(2, heads));
    }

    private static byte[] withoutNewlines(byte[] b) {
        byte[] c = b.clone();
        for (int i = 0; i < c.length; i++) {
            if (c[i] == '\n') {
                c[i] = ' ';
            }
        }
        return c;
    }

    /** A body read back in chunks of random sizes, as a socket delivers it (chunk boundaries inside \r\n too). */
    static final class Trickle extends InputStream {
        private final byte[] body;
        private final Random random;
        private int pos;

        Trickle(byte[] body, long seed) {
            this.body = body;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return pos < body.length ? body[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= body.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, body.length - pos), 1 + random.nextInt(random.nextBoolean() ? 8 : 70_000));
            System.arraycopy(body, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
