package dev.interlock.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.interlock.embedded.EmbeddedPostgresServer;
import dev.interlock.model.CallEvent;
import dev.interlock.model.Json;
import dev.interlock.model.Topics;
import dev.interlock.testsupport.ServiceProcess;
import dev.interlock.testsupport.SharedServices;

/**
 * The service end to end on this machine: the built artifact runs the detect and dashboard roles as a
 * child process against the embedded broker and PostgreSQL (all on the same cores); this harness
 * publishes a realistic mix of call events (every scenario in honest traffic, simulated) to
 * {@code interlock.calls}, keyed by canister.
 *
 * <ul>
 * <li>{@code --phase throughput}: a long corpus (the 30 simulated minutes of the latency phase, about
 * 490,000 events, repeated {@code --laps} times later in time, default 4: about 2 million events, kept
 * encoded), in two parts. First {@code --warmup-events} (default 600,000; at most half the corpus) as fast as
 * the producer goes, until the detector has processed them: the JIT compiling the hot paths of the service
 * and of the broker takes most of the two cores for the first minute and more, and is not what a running
 * service costs. Then the rest, paced at {@code --rate} events per second (default 50,000; 0: as fast as the
 * producer goes), with the detector's lag followed through its committed offsets every 250 ms; prints the
 * rate at which the detector processed them, the largest lag (over the whole window and over its second
 * half), and the CPU per event of the service and of the broker and producer, by thread. With {@code --blocks
 * true} the simulated ledger's blocks go to {@code interlock.ledger-blocks} too, each where its time falls among
 * the events, and count as events (the reconciliation stages then match them).</li>
 * <li>{@code --phase latency}: events paced at {@code --rate} per second (default 5,000); for every stored
 * alert, the time from the publication of the last event its evidence names to its row in PostgreSQL
 * ({@code stored_at}); prints p50/p99/max overall and per class. STALLED_CALL is reported apart: it fires
 * on a timer, by design after the stall timeout.</li>
 * </ul>
 * Needs the service artifact ({@code ./mvnw -DskipTests package} builds it).
 */
public final class ServiceBench {
    /** The detect role's Kafka Streams application id (its default): its committed offsets say what it processed. */
    private static final String APPLICATION_ID = "interlock-detector";

    private ServiceBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        String phase = "latency";
        double rate = -1;
        int seconds = 30;
        int laps = 4;
        boolean withBlocks = false;
        int warmupEvents = 600_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--phase" -> phase = args[i + 1];
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(args[i + 1]);
                case "--laps" -> laps = Integer.parseInt(args[i + 1]);
                case "--warmup-events" -> warmupEvents = Integer.parseInt(args[i + 1]);
                case "--warmup" -> WARM_UP_MILLIS = Long.parseLong(args[i + 1]) * 1000;
                case "--blocks" -> withBlocks = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; known: --phase, --rate, --seconds, --max-seconds, --warmup, --laps, --warmup-events, --blocks");
            }
        }
        Path jar = Path.of(System.getProperty("interlock.app.jar", "app/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            jar = Path.of("..").resolve(jar);
            System.setProperty("interlock.app.jar", jar.toString());
        }
        List<CallEvent> events = null;
        BenchCorpus.Encoded corpus = null;
        if (phase.equals("throughput")) {
            // the 30-minute corpus of the latency phase, repeated later in time
            corpus = BenchCorpus.encodedLaps(11, Duration.ofMinutes(30), 50, 100, laps, withBlocks);
            System.out.printf(Locale.ROOT, "ServiceBench throughput: %,d events in the corpus (%,d of them ledger blocks; %,d MB "
                    + "of JSON), %d cores%n", corpus.size(), corpus.blockCount(), corpus.bytes() >> 20,
                    Runtime.getRuntime().availableProcessors());
        } else {
            events = BenchCorpus.events(11, Duration.ofMinutes(30), 50, 100);
            System.out.printf(Locale.ROOT, "ServiceBench %s: %,d events in the corpus, %d cores%n", phase, events.size(),
                    Runtime.getRuntime().availableProcessors());
        }
        Path dir = Files.createTempDirectory("interlock-service-bench");
        ServiceProcess.Builder builder = ServiceProcess.builder(dir.resolve("service.log"));
        // JVM options of the service: -Dbench.jvm="-Xlog:gc:file=/tmp/gc.log -Xmx1g"
        String jvm = System.getProperty("bench.jvm", "");
        if (System.getProperty("bench.jfr") != null) {
            // a flight recording of the service, to see where its time goes: -Dbench.jfr=/tmp/service.jfr
            jvm += " -XX:StartFlightRecording=filename=" + System.getProperty("bench.jfr")
                    + ",settings=" + System.getProperty("bench.jfr.settings", "profile") + ",dumponexit=true -XX:FlightRecorderOptions:stackdepth=256,repository=/tmp/jfrrepo,maxchunksize=4m";
        }
        if (!jvm.isBlank()) {
            builder.env("JAVA_TOOL_OPTIONS", jvm.strip());
        }
        try (ServiceProcess service = builder
                .externalServices("service_bench")
                .property("interlock.roles", "detect,dashboard")
                .property("interlock.data-dir", dir.resolve("data").toString())
                .property("interlock.ingest.demo.enabled", "false")
                .properties(extraProperties())
                .build()) {
            service.start().awaitReady(Duration.ofSeconds(120));
            if (phase.equals("throughput")) {
                throughput(service, corpus, rate < 0 ? 50_000 : rate, warmupEvents);
            } else {
                latency(service, events, rate < 0 ? 5_000 : rate, seconds);
            }
            if (System.getProperty("bench.jfr") != null) {
                service.stop(Duration.ofSeconds(60)); // a clean exit writes the recording
            }
        }
        System.exit(0);
    }

    /** {@code -Dbench.service="k=v,k=v"}: more configuration of the service under test (e.g. topic partitions). */
    private static Map<String, String> extraProperties() {
        Map<String, String> out = new TreeMap<>();
        for (String kv : System.getProperty("bench.service", "").split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        if (!out.isEmpty()) {
            System.out.println("  service configured with " + out);
        }
        return out;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> p = new HashMap<>(SharedServices.kafkaConfig());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
    private static double cpuSeconds(long pid) {
        try {
            return cpuSecondsOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** utime + stime of a /proc {@code stat} line (process or thread), in seconds (clock ticks, USER_HZ 100). */
    private static double cpuSecondsOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** CPU seconds per thread name (digits folded, as Linux shows it: 15 characters) of a process, from /proc. */
    private static Map<String, Double> threadCpu(long pid) {
        Map<String, Double> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    out.merge(name, cpuSecondsOf(stat), Double::sum);
                } catch (Exception gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return out;
    }

    private static void printThreadCpu(String what, Map<String, Double> before, Map<String, Double> after, long events) {
        List<Map.Entry<String, Double>> used = new ArrayList<>();
        after.forEach((name, cpu) -> used.add(Map.entry(name, cpu - before.getOrDefault(name, 0.0))));
        used.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Double> e : used.subList(0, Math.min(8, used.size()))) {
            if (e.getValue() > 0) {
                line.append(String.format(Locale.ROOT, "%s %.1f, ", e.getKey(), e.getValue() * 1e6 / events));
            }
        }
        System.out.printf(Locale.ROOT, "    %s, us per event by thread: %s%n", what, line);
    }

    private static void throughput(ServiceProcess service, BenchCorpus.Encoded corpus, double rate, int warmupEvents)
            throws Exception {
        int n = corpus.size();
        int warm = Math.min(warmupEvents, n / 2);
        try (KafkaProducer<String, byte[]> producer = producer();
                org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(SharedServices.kafkaConfig())) {
            // 1. warm-up: the JIT compiles the hot paths of the service and the broker (on 2 cores, most of their CPU
            // for the first minute); not part of the measure
            long start = System.nanoTime();
            for (int i = 0; i < warm; i++) {
                producer.send(new ProducerRecord<>(corpus.blocks()[i] ? Topics.LEDGER_BLOCKS : Topics.CALLS, corpus.keys()[i],
                        corpus.values()[i]));
            }
            producer.flush();
            if (awaitCommitted(admin, warm, start, null) < warm) {
                System.out.printf(Locale.ROOT, "  the detector did not process the %,d warm-up events within %d s%n", warm, maxSeconds);
                return;
            }
            double warmSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "  warm-up (JIT compiling, not measured): %,d events in %.1f s (%,.0f events/s)%n", warm,
                    warmSeconds, warm / warmSeconds);

            // 2. the measured window: the rest of the corpus, paced at --rate (0: as fast as the producer goes)
            Map<String, Double> serviceThreads0 = threadCpu(service.pid());
            Map<String, Double> benchThreads0 = threadCpu(ProcessHandle.current().pid());
            double serviceCpu0 = cpuSeconds(service.pid());
            double benchCpu0 = cpuSeconds(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong(warm);
            List<double[]> lags = Collections.synchronizedList(new ArrayList<>()); // (seconds, lag)
            Thread monitor = new Thread(() -> {
                try {
                    awaitCommitted(admin, n, t0, (elapsed, processed) -> {
                        long lag = published.get() - processed;
                        lags.add(new double[] {elapsed, lag});
                        if (PROGRESS) {
                            System.out.printf(Locale.ROOT, "    %5.1f s: published %,d, processed %,d, lag %,d%n", elapsed,
                                    published.get() - warm, processed - warm, lag);
                        }
                    });
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            }, "lag-monitor");
            monitor.start();
            for (int i = warm; i < n; i++) {
                if (rate > 0 && (i & 255) == 0) {
                    long due = t0 + (long) ((i - warm) * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                producer.send(new ProducerRecord<>(corpus.blocks()[i] ? Topics.LEDGER_BLOCKS : Topics.CALLS, corpus.keys()[i],
                        corpus.values()[i]));
                published.lazySet(i + 1);
            }
            producer.flush();
            double sent = (System.nanoTime() - t0) / 1e9;
            monitor.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long measured = n - warm;
            long processed = committed(admin) - warm;
            if (processed < measured) {
                System.out.printf(Locale.ROOT, "  the detector did not keep up: %,d of %,d processed in %.0f s: %,.0f events/s%n",
                        processed, measured, seconds, processed / seconds);
                return;
            }
            // the detector may fall behind early in the window (the JIT is not quite done) and catch up: the lag over the
            // second half says whether it keeps up once it has
            double maxLag = 0;
            double lateLag = 0;
            synchronized (lags) {
                for (double[] l : lags) {
                    maxLag = Math.max(maxLag, l[1]);
                    if (l[0] >= sent / 2 && l[0] <= sent) {
                        lateLag = Math.max(lateLag, l[1]);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "  measured: %,d events published in %.1f s (%s, %,.0f events/s); all processed %.1f s "
                    + "after the first: %,.0f events/s sustained; largest lag seen %,d events%n", measured, sent,
                    rate > 0 ? String.format(Locale.ROOT, "paced at %,.0f/s", rate) : "unpaced", measured / sent, seconds,
                    measured / seconds, (long) maxLag);
            System.out.printf(Locale.ROOT, "  largest lag over the second half of the publication (%.0f s to %.0f s): %,.0f events "
                    + "(%.2f s of input)%n", sent / 2, sent, lateLag, lateLag / (measured / sent));
            // CPU per event holds on a busy machine too, where events/s does not
            double serviceCpu = cpuSeconds(service.pid()) - serviceCpu0;
            double benchCpu = cpuSeconds(ProcessHandle.current().pid()) - benchCpu0;
            System.out.printf(Locale.ROOT, "  CPU in the measured window: service %.1f s (%.1f us per event); broker and producer "
                    + "(this JVM) %.1f s (%.1f us per event); %.1f of %d cores busy%n", serviceCpu, serviceCpu * 1e6 / measured,
                    benchCpu, benchCpu * 1e6 / measured, (serviceCpu + benchCpu) / seconds,
                    Runtime.getRuntime().availableProcessors());
            printThreadCpu("service", serviceThreads0, threadCpu(service.pid()), measured);
            printThreadCpu("broker and producer", benchThreads0, threadCpu(ProcessHandle.current().pid()), measured);
        }
        recordsPerTopic(n);
    }

    /** Input events the detector has committed as processed (exactly-once: its committed offsets on the calls topic). */
    private static long committed(org.apache.kafka.clients.admin.Admin admin) throws Exception {
        long sum = 0;
        for (var e : admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata().get().entrySet()) {
            String topic = e.getKey().topic();
            if ((topic.equals(Topics.CALLS) || topic.equals(Topics.LEDGER_BLOCKS)) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    /**
     * Waits until {@code n} input events are committed as processed (polling the broker, not the service, every
     * 250 ms) or the time limit passes; returns how many were.
     */
    private static long awaitCommitted(org.apache.kafka.clients.admin.Admin admin, long n, long startNanos,
            java.util.function.ObjLongConsumer<Double> each) throws Exception {
        long processed;
        long lastReport = System.nanoTime();
        while ((processed = committed(admin)) < n) {
            if (System.nanoTime() - startNanos > maxSeconds * 1_000_000_000L) {
                return processed;
            }
            if (each != null) {
                each.accept((System.nanoTime() - startNanos) / 1e9, processed);
            }
            Thread.sleep(250);
            if (each == null && (PROGRESS || System.nanoTime() - lastReport > 10_000_000_000L)) {
                lastReport = System.nanoTime();
                System.out.printf(Locale.ROOT, "  %,d of %,d processed%n", processed, n);
            }
        }
        return processed;
    }

    /** What the broker carried per input event, topic by topic: repartitions, changelogs, alerts. */
    private static void recordsPerTopic(long input) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(SharedServices.kafkaConfig())) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
                d.partitions().forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            Map<String, Long> byTopic = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, o) -> byTopic.merge(tp.topic(), o.offset(), Long::sum));
            System.out.println("  records per input event, by topic (offsets include transaction markers):");
            byTopic.forEach((t, n) -> {
                if (n > 0 && !t.startsWith("__")) {
                    System.out.printf(Locale.ROOT, "    %-70s %,12d  %.3f%n", t, n, n / (double) input);
                }
            });
        }
    }

    private static final boolean PROGRESS = Boolean.getBoolean("bench.progress");
    private static int maxSeconds = 300;
    /**
     * The first seconds of a run include the JIT compiling the service's hot paths and a backlog it builds
     * meanwhile ({@code --warmup}, default 30 s: alerts whose evidence was published before are reported apart).
     */
    private static long WARM_UP_MILLIS = 30_000;

    private static void latency(ServiceProcess service, List<CallEvent> events, double rate, int seconds) throws Exception {
        int n = (int) Math.min(events.size(), rate * seconds);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                CallEvent e = events.get(i);
                sentAt.put(e.id(), System.currentTimeMillis());
                producer.send(new ProducerRecord<>(Topics.CALLS, e.canister(), Json.encode(e)));
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  %,d events published in %.1f s (%,.0f events/s)%n", n, took, n / took);
        long published = System.nanoTime();
        long processed;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(SharedServices.kafkaConfig())) {
            processed = awaitCommitted(admin, n, start, null);
        }
        System.out.printf(Locale.ROOT, "  the detector had processed them all %.1f s after the last was published%n",
                (System.nanoTime() - published) / 1e9);
        if (processed < n) {
            System.out.printf(Locale.ROOT, "  the detector did not keep up with %,.0f events/s: %,d of %,d processed after %d s%n", rate,
                    processed, n, maxSeconds);
        }
        Thread.sleep(3_000); // the last alerts reach PostgreSQL
        Map<String, List<Long>> byClass = new TreeMap<>();
        List<Long> all = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        List<long[]> slowest = new ArrayList<>();
        Map<Long, String> names = new HashMap<>();
        String url = "jdbc:postgresql://localhost:" + SharedServices.postgres().port() + "/service_bench";
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT alert_class, evidence::text, (extract(epoch from stored_at) * 1000)::bigint"
                        + " FROM alerts")) {
            while (r.next()) {
                JsonNode evidence = Json.mapper().readTree(r.getString(2));
                long last = -1;
                for (JsonNode id : evidence.path("eventIds")) {
                    last = Math.max(last, sentAt.getOrDefault(id.asText(), -1L));
                }
                if (last < 0) {
                    continue;
                }
                long ms = r.getLong(3) - last;
                byClass.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(ms);
                if (!r.getString(1).equals("STALLED_CALL")) {
                    all.add(ms);
                    if (last - startMillis >= WARM_UP_MILLIS) {
                        warm.add(ms);
                    }
                    slowest.add(new long[] {ms, last - startMillis, r.getString(1).hashCode()});
                    names.put((long) r.getString(1).hashCode(), r.getString(1));
                }
            }
        }
        System.out.printf(Locale.ROOT, "  latency from publication of the last evidence event to the stored alert, %,d alerts "
                + "(STALLED_CALL apart): %s%n", all.size(), summary(all));
        byClass.forEach((cls, v) -> System.out.printf(Locale.ROOT, "    %-26s %,6d alerts  %s%n", cls, v.size(), summary(v)));
        slowest.sort((a, b) -> Long.compare(b[0], a[0]));
        slowest.removeIf(x -> x[1] < WARM_UP_MILLIS);
        for (long[] x : slowest.subList(0, Math.min(8, slowest.size()))) {
            System.out.printf(Locale.ROOT, "    slow: %,d ms, evidence published %.1f s into the run, %s%n", x[0], x[1] / 1000.0,
                    names.get(x[2]));
        }
        System.out.printf(Locale.ROOT, "  the same for evidence published after the first %d s (steady state), %,d alerts: %s%n",
                WARM_UP_MILLIS / 1000, warm.size(), summary(warm));
        // the service's own view: from the raising record's timestamp to the stored alert
        ServiceProcess.Http.get(service.baseUrl() + "/q/metrics").lines()
                .filter(l -> l.startsWith("interlock_dashboard_alerts_latency_seconds"))
                .forEach(l -> System.out.println("    service metric: " + l));
    }

    private static String summary(List<Long> v) {
        if (v.isEmpty()) {
            return "-";
        }
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return String.format(Locale.ROOT, "p50 %d ms, p99 %d ms, max %d ms", s.get(s.size() / 2),
                s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)), s.get(s.size() - 1));
    }
}
