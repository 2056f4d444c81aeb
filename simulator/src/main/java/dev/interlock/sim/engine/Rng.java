package dev.interlock.sim.engine;

import java.util.List;
import java.util.SplittableRandom;

/** The simulation's only source of randomness: the same seed gives the same run. */
public final class Rng {
    private final SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong(long bound) {
        return random.nextLong(bound);
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** Fisher–Yates in place. */
    public <T> void shuffle(List<T> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }

    /** An independent stream, for parts whose randomness must not shift when others change. */
    public Rng split() {
        return new Rng(random.nextLong());
    }
}
