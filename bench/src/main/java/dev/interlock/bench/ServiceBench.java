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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <li>{@code --phase throughput}: all events as fast as the producer goes; prints events/s until the
 * detector has processed them all (its {@code interlock_detect_events_total}).</li>
 * <li>{@code --phase latency}: events paced at {@code --rate} per second (default 5,000); for every stored
 * alert, the time from the publication of the last event its evidence names to its row in PostgreSQL
 * ({@code stored_at}); prints p50/p99/max overall and per class. STALLED_CALL is reported apart: it fires
 * on a timer, by design after the stall timeout.</li>
 * </ul>
 * Needs the service artifact ({@code ./mvnw -DskipTests package} builds it).
 */
public final class ServiceBench {
    private static final Pattern EVENTS = Pattern.compile("^interlock_detect_events_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$",
            Pattern.MULTILINE);

    private ServiceBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        String phase = "latency";
        double rate = 5_000;
        int seconds = 30;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--phase" -> phase = args[i + 1];
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> WARM_UP_MILLIS = Long.parseLong(args[i + 1]) * 1000;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; known: --phase, --rate, --seconds, --max-seconds, --warmup");
            }
        }
        Path jar = Path.of(System.getProperty("interlock.app.jar", "app/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            jar = Path.of("..").resolve(jar);
            System.setProperty("interlock.app.jar", jar.toString());
        }
        List<CallEvent> events = BenchCorpus.events(11, Duration.ofMinutes(30), 50, 100);
        System.out.printf(Locale.ROOT, "ServiceBench %s: %,d events in the corpus, %d cores%n", phase, events.size(),
                Runtime.getRuntime().availableProcessors());
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
                .property("interlock.detect.stream-threads", System.getProperty("bench.stream-threads", "1"))
                .properties(extraProperties())
                .build()) {
            service.start().awaitReady(Duration.ofSeconds(120));
            if (phase.equals("throughput")) {
                throughput(service, events);
            } else {
                latency(service, events, rate, seconds);
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
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static void throughput(ServiceProcess service, List<CallEvent> events) throws Exception {
        double serviceCpu0 = cpuSeconds(service.pid());
        double benchCpu0 = cpuSeconds(ProcessHandle.current().pid());
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (CallEvent e : events) {
                producer.send(new ProducerRecord<>(Topics.CALLS, e.canister(), Json.encode(e)));
            }
        }
        double sent = (System.nanoTime() - start) / 1e9;
        long processed = awaitProcessed(service, events.size(), start);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (processed < events.size()) {
            System.out.printf(Locale.ROOT, "  the detector did not keep up: %,d of %,d processed in %.0f s: %,.0f events/s%n", processed,
                    events.size(), seconds, processed / seconds);
            return;
        }
        System.out.printf(Locale.ROOT, "  published in %.1f s; all %,d processed by the detector in %.1f s: %,.0f events/s sustained%n",
                sent, events.size(), seconds, events.size() / seconds);
        // CPU per event holds on a busy machine too, where events/s does not
        double serviceCpu = cpuSeconds(service.pid()) - serviceCpu0;
        double benchCpu = cpuSeconds(ProcessHandle.current().pid()) - benchCpu0;
        System.out.printf(Locale.ROOT, "  CPU: service %.1f s (%.1f us per event); broker and producer (this JVM) %.1f s "
                + "(%.1f us per event)%n", serviceCpu, serviceCpu * 1e6 / events.size(), benchCpu,
                benchCpu * 1e6 / events.size());
        recordsPerTopic(events.size());
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

    /** Waits until {@code n} events are processed or the time limit passes; returns how many were. */
    private static long awaitProcessed(ServiceProcess service, long n, long startNanos) throws InterruptedException {
        long processed;
        long lastReport = System.nanoTime();
        while ((processed = processed(service)) < n) {
            if (System.nanoTime() - startNanos > maxSeconds * 1_000_000_000L) {
                return processed;
            }
            Thread.sleep(1000); // the metrics page is large: polling it often costs the service CPU
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf(Locale.ROOT, "  %,d of %,d processed (%,.0f events/s so far)%n", processed, n,
                        processed / ((System.nanoTime() - startNanos) / 1e9));
            }
        }
        return processed;
    }

    private static int maxSeconds = 300;
    /**
     * The first seconds of a run include the JIT compiling the service's hot paths and a backlog it builds
     * meanwhile ({@code --warmup}, default 30 s: alerts whose evidence was published before are reported apart).
     */
    private static long WARM_UP_MILLIS = 30_000;

    private static long processed(ServiceProcess service) {
        String metrics = ServiceProcess.Http.get(service.baseUrl() + "/q/metrics");
        Matcher m = EVENTS.matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

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
        long processed = awaitProcessed(service, n, start);
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
