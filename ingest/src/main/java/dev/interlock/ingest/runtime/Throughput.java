package dev.interlock.ingest.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;

/** Items per second over a sliding window (progress in logs and in the ingest status). */
final class Throughput {
    private record Sample(long atMillis, long items) {
    }

    private final Clock clock;
    private final long windowMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long inWindow;

    Throughput(Clock clock, Duration window) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
    }

    synchronized void add(long items) {
        long now = clock.millis();
        samples.addLast(new Sample(now, items));
        inWindow += items;
        expire(now);
    }

    /** Items per second over the window ending now; 0 when nothing arrived in it. */
    synchronized double perSecond() {
        long now = clock.millis();
        expire(now);
        return samples.isEmpty() ? 0 : inWindow * 1000.0 / windowMillis;
    }

    private void expire(long now) {
        while (!samples.isEmpty() && samples.peekFirst().atMillis() <= now - windowMillis) {
            inWindow -= samples.pollFirst().items();
        }
    }
}
