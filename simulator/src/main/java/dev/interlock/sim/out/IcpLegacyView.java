package dev.interlock.sim.out;

import java.util.HexFormat;

import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;

/**
 * The ledger's blocks as the ICP ledger presents them: accounts as 32-byte account identifiers,
 * amounts and fees in e8s records, a nat64 {@code memo} (0) plus the ICRC-1 memo blob, and
 * {@code created_at_time}. A view for tests of AccountIdentifier handling: the ICP ledger hashes
 * its protobuf encoding, which this view does not reproduce, so {@code parent_hash} is left out.
 */
final class IcpLegacyView {
    private static final HexFormat HEX = HexFormat.of();

    private IcpLegacyView() {
    }

    static void render(String ledger, long index, Value.Map block, StringBuilder sb) {
        Value.Map tx = (Value.Map) block.get("tx");
        String op = tx.get("op") instanceof Value.Text t ? t.value() : "unknown";
        sb.append("{\"ledger\":\"").append(ledger).append("\",\"index\":").append(index)
                .append(",\"timestamp\":{\"timestamp_nanos\":").append(nat(block.get("ts"))).append("},\"transaction\":{");
        sb.append("\"operation\":{");
        switch (op) {
            case "mint" -> sb.append("\"Mint\":{\"to\":\"").append(aid(tx.get("to"))).append("\",\"amount\":{\"e8s\":")
                    .append(nat(tx.get("amt"))).append("}}");
            case "burn" -> sb.append("\"Burn\":{\"from\":\"").append(aid(tx.get("from")))
                    .append("\",\"amount\":{\"e8s\":").append(nat(tx.get("amt"))).append("}}");
            case "approve" -> sb.append("\"Approve\":{\"from\":\"").append(aid(tx.get("from")))
                    .append("\",\"spender\":\"").append(aid(tx.get("spender"))).append("\",\"allowance\":{\"e8s\":")
                    .append(nat(tx.get("amt"))).append("},\"fee\":{\"e8s\":").append(fee(block, tx)).append("}}");
            default -> {
                sb.append("\"Transfer\":{\"from\":\"").append(aid(tx.get("from"))).append("\",\"to\":\"")
                        .append(aid(tx.get("to"))).append("\",\"amount\":{\"e8s\":").append(nat(tx.get("amt")))
                        .append("},\"fee\":{\"e8s\":").append(fee(block, tx)).append('}');
                if (tx.get("spender") != null) {
                    sb.append(",\"spender\":\"").append(aid(tx.get("spender"))).append('"');
                }
                sb.append('}');
            }
        }
        sb.append("},\"memo\":0,\"icrc1_memo\":");
        if (tx.get("memo") instanceof Value.Blob m) {
            sb.append('"').append(HEX.formatHex(m.bytes())).append('"');
        } else {
            sb.append("null");
        }
        sb.append(",\"created_at_time\":");
        if (tx.get("ts") != null) {
            sb.append("{\"timestamp_nanos\":").append(nat(tx.get("ts"))).append('}');
        } else {
            sb.append("null");
        }
        sb.append("}}\n");
    }

    private static String fee(Value.Map block, Value.Map tx) {
        Value f = tx.get("fee") != null ? tx.get("fee") : block.get("fee");
        return f == null ? "0" : nat(f);
    }

    private static String nat(Value v) {
        return ((Value.Nat) v).value().toString();
    }

    private static String aid(Value v) {
        Value.Array a = (Value.Array) v;
        Principal owner = Principal.of(((Value.Blob) a.items().get(0)).bytes());
        byte[] sub = a.items().size() > 1 ? ((Value.Blob) a.items().get(1)).bytes() : null;
        return AccountIdentifier.hex(Account.of(owner, sub));
    }
}
