package dev.interlock.detector.graph;

/**
 * One fact of the {@link CallGraph} in its {@link SortedStore}: an outgoing call, a context linked
 * to the call that opened it, a pending cycle check, a raised cycle, an index entry or the clock.
 * Plain fields, JSON in the service's store.
 */
public final class GraphEntry {
    /** Call: the calling canister; link: the called canister. */
    public String canister;
    /** Call: the context that made it; link: the context the call opened. */
    public String context;
    /** Call and check: the call id. */
    public String call;
    /** Call: the called canister. */
    public String callee;
    /** Link: the caller canister and the correlation id it passed, i.e. the caller's call id. */
    public String parentCanister;
    public String parentCall;
    /** Call: the trace event, cited as evidence. */
    public String eventId;
    /** Event time the call was made or the context opened (the clock's value for the clock entry). */
    public long start;
    /** Event time the call was answered or the context closed; 0 while outstanding or open. */
    public long end;
    /** Event time after which the entry is forgotten. */
    public long expiry;

    public GraphEntry() {
    }
}
