package dev.interlock.detector.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import dev.interlock.model.Alert;
import dev.interlock.model.AlertClass;
import dev.interlock.model.Evidence;
import dev.interlock.model.Severity;

/** Builds alerts with their evidence; the one place an alert's shape is decided. */
final class Alerts {
    private Alerts() {
    }

    static Builder of(AlertClass c, Severity s, CanisterState state, String dedupSuffix) {
        return new Builder(c, s, state, dedupSuffix);
    }

    static final class Builder {
        private final AlertClass alertClass;
        private final Severity severity;
        private final CanisterState state;
        private final String dedupKey;
        private final List<String> callers = new ArrayList<>();
        private final List<String> events = new ArrayList<>();
        private final List<String> contexts = new ArrayList<>();
        private final List<String> calls = new ArrayList<>();
        private final List<Long> blocks = new ArrayList<>();
        private final List<String> basis = new ArrayList<>();
        private final List<String> missing = new ArrayList<>();
        private BigInteger amount;
        private String ledger;
        private String explanation = "";
        private long at;

        private Builder(AlertClass c, Severity s, CanisterState state, String dedupSuffix) {
            this.alertClass = c;
            this.severity = s;
            this.state = state;
            this.dedupKey = c + "/" + state.canister + "/" + dedupSuffix;
            this.at = state.lastEventTime;
        }

        Builder context(ContextState ctx) {
            if (ctx != null && !contexts.contains(ctx.id)) {
                contexts.add(ctx.id);
                events.addAll(ctx.eventIds(state.canister));
                if (ctx.caller != null && !callers.contains(ctx.caller)) {
                    callers.add(ctx.caller);
                }
            }
            return this;
        }

        Builder call(OutgoingCall c) {
            if (c != null && !calls.contains(c.id)) {
                calls.add(c.id);
                if (c.outcome != null && c.outcome.blockIndex() != null) {
                    blocks.add(c.outcome.blockIndex());
                }
                if (c.hasTransfer() && ledger == null) {
                    ledger = c.callee;
                }
            }
            return this;
        }

        Builder amount(BigInteger a) {
            this.amount = a;
            return this;
        }

        Builder basis(String... b) {
            basis.addAll(List.of(b));
            return this;
        }

        Builder missing(String... m) {
            missing.addAll(List.of(m));
            return this;
        }

        Builder explain(String format, Object... args) {
            this.explanation = String.format(format, args);
            return this;
        }

        Builder at(long t) {
            this.at = t;
            return this;
        }

        Alert build() {
            return new Alert(Alert.VERSION, dedupKey, alertClass, severity, state.canister, List.copyOf(callers), amount,
                    explanation, new Evidence(List.copyOf(events), List.copyOf(contexts), List.copyOf(calls),
                            List.copyOf(blocks), ledger, List.copyOf(basis), List.copyOf(missing)), at);
        }
    }
}
