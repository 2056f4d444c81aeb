package dev.interlock.detector.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The message execution in progress on a canister (messages of one canister never overlap). */
public final class MessageState {
    public enum Kind { ENTRY, CALLBACK, CLEANUP }

    public Kind kind;
    public String context;
    /** CALLBACK and CLEANUP: the call whose response (or callback trap) started the message. */
    public String call;
    public long startSeq;
    public long startTime;
    public boolean trapped;
    public String trapMessage;
    /** Committed writes of this message by key, in order. */
    public Map<String, StateWrite> writes = new LinkedHashMap<>();
    /** Keys read before this message wrote them. */
    public List<String> readsBeforeWrite = new ArrayList<>();
    public List<String> sendFailures = new ArrayList<>();
    public boolean journalled;
    /** A journal intent printed in this message without naming its call: it belongs to the next transfer. */
    public String pendingJournal;
    /** Journal intents naming their call ({@code ji} with {@code c}) before that call was printed: call → journal. */
    public Map<String, String> journalFor;
    public boolean releasedGuard;

    public boolean hasCommittedEffects() {
        return !writes.isEmpty() || journalled || releasedGuard;
    }
}
