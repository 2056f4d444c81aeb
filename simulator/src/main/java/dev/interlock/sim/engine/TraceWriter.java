package dev.interlock.sim.engine;

import java.util.HexFormat;

import dev.interlock.ic.JsonText;
import dev.interlock.model.trace.TraceFormat;
import dev.interlock.sim.ledger.TransferArgs;
import dev.interlock.sim.ledger.TransferResult;

/** Writes call-trace format v1 lines (docs/trace-format.md) as a canister would print them. */
final class TraceWriter {
    private static final HexFormat HEX = HexFormat.of();

    private TraceWriter() {
    }

    private static StringBuilder start(String code, String context) {
        StringBuilder sb = new StringBuilder(160).append(TraceFormat.PREFIX).append("{\"e\":\"").append(code)
                .append("\",\"x\":");
        JsonText.quote(context, sb);
        return sb;
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append(",\"").append(name).append("\":");
        JsonText.quote(value, sb);
        return sb;
    }

    static String entry(String context, String method, String caller, String kind, String correlation) {
        StringBuilder sb = start("in", context);
        field(sb, "m", method);
        field(sb, "f", caller);
        if (!"u".equals(kind)) {
            field(sb, "k", kind);
        }
        if (correlation != null) {
            field(sb, "r", correlation);
        }
        return sb.append('}').toString();
    }

    static String callback(String context, String call, Outcome o) {
        StringBuilder sb = start("cb", context);
        field(sb, "c", call);
        if (o.replied()) {
            field(sb, "o", "ok");
            TransferResult r = o.transferResult();
            if (r != null && r.isOk()) {
                sb.append(",\"b\":").append(r.blockIndex());
            } else if (r != null) {
                field(sb, "err", r.errorName());
                if (r.error() == TransferResult.Error.DUPLICATE) {
                    sb.append(",\"dup\":").append(r.detail());
                }
            }
        } else {
            field(sb, "o", "rej");
            sb.append(",\"rc\":").append(o.rejectCode());
            if (o.rejectMessage() != null) {
                field(sb, "rm", truncate(o.rejectMessage()));
            }
        }
        return sb.append('}').toString();
    }

    static String cleanup(String context, String call) {
        return field(start("cu", context), "c", call).append('}').toString();
    }

    /**
     * {@code ledger}: the ledger of an expected transfer ({@code tx} on a call to another canister
     * whose effect should be that transfer), printed as {@code tx.l}; null on calls to the ledger
     * itself and wherever it is not known.
     */
    static String call(String context, String call, String callee, String method, Wait wait, String correlation,
            TransferArgs tx, String ledger) {
        StringBuilder sb = start("call", context);
        field(sb, "c", call);
        field(sb, "to", callee);
        field(sb, "m", method);
        field(sb, "w", wait.code());
        if (correlation != null) {
            field(sb, "r", correlation);
        }
        if (tx != null) {
            sb.append(",\"tx\":{\"to\":");
            JsonText.quote(tx.to().toText(), sb);
            sb.append(",\"amt\":\"").append(tx.amount()).append('"');
            if (tx.spender() != null) {
                field(sb, "from", tx.from().toText());
            }
            if (tx.memo() != null) {
                field(sb, "memo", HEX.formatHex(tx.memo()));
            }
            if (tx.createdAtTime() != null) {
                sb.append(",\"ts\":").append(tx.createdAtTime());
            }
            if (ledger != null) {
                field(sb, "l", ledger);
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    static String sendFailed(String context, String call, int code, String message) {
        StringBuilder sb = field(start("sf", context), "c", call);
        sb.append(",\"rc\":").append(code);
        return field(sb, "rm", truncate(message)).append('}').toString();
    }

    static String read(String context, String key, Object value) {
        StringBuilder sb = field(start("rd", context), "k", key);
        if (value != null) {
            field(sb, "v", truncate(String.valueOf(value)));
        }
        return sb.append('}').toString();
    }

    static String write(String context, String key, Object value) {
        StringBuilder sb = field(start("wr", context), "k", key);
        if (value != null) {
            field(sb, "v", truncate(String.valueOf(value)));
        }
        return sb.append('}').toString();
    }

    static String guardAcquire(String context, String guard, boolean ok) {
        StringBuilder sb = field(start("ga", context), "g", guard);
        if (!ok) {
            sb.append(",\"ok\":false");
        }
        return sb.append('}').toString();
    }

    static String guardRelease(String context, String guard) {
        return field(start("gr", context), "g", guard).append('}').toString();
    }

    static String journalIntent(String context, String journal, String op, String call) {
        StringBuilder sb = field(start("ji", context), "j", journal);
        if (op != null) {
            field(sb, "op", op);
        }
        if (call != null) {
            field(sb, "c", call);
        }
        return sb.append('}').toString();
    }

    static String journalResult(String context, String journal, boolean ok) {
        return field(start("jr", context), "j", journal).append(",\"ok\":").append(ok).append('}').toString();
    }

    static String reply(String context) {
        return start("rep", context).append('}').toString();
    }

    static String reject(String context, int code, String message, boolean uncaughtThrow) {
        StringBuilder sb = start("rej", context);
        sb.append(",\"rc\":").append(code);
        if (message != null) {
            field(sb, "rm", truncate(message));
        }
        if (uncaughtThrow) {
            sb.append(",\"thr\":true");
        }
        return sb.append('}').toString();
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
