package dev.interlock.detector.core;

/** A committed write of a state key, with where it happened. */
public final class StateWrite {
    public String context;
    public String key;
    public String value;
    public long seq;
    public long time;

    public static StateWrite of(String context, String key, String value, long seq, long time) {
        StateWrite w = new StateWrite();
        w.context = context;
        w.key = key;
        w.value = value;
        w.seq = seq;
        w.time = time;
        return w;
    }
}
