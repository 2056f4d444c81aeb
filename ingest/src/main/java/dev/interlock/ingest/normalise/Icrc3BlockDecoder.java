package dev.interlock.ingest.normalise;

import java.math.BigInteger;
import java.util.HexFormat;

import dev.interlock.ic.Account;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.model.LedgerBlock;
import dev.interlock.model.MalformedRecordException;

/**
 * Reads an ICRC-1/ICRC-2 block (ICRC-3 {@link Value}) into the {@link LedgerBlock} fields
 * detectors match on. {@code btype} wins over {@code tx.op}; the effective fee is {@code tx.fee}
 * when the caller set one, else the top-level {@code fee}. Unknown block types keep their type
 * name and whatever standard fields they carry.
 */
public final class Icrc3BlockDecoder {
    private static final HexFormat HEX = HexFormat.of();

    private Icrc3BlockDecoder() {
    }

    public static LedgerBlock decode(String ledger, long index, byte[] hash, Value block) {
        if (!(block instanceof Value.Map b)) {
            throw new MalformedRecordException("block " + index + " is not a Map");
        }
        Value.Map tx = b.get("tx") instanceof Value.Map m ? m : null;
        String op = b.get("btype") instanceof Value.Text t ? operation(t.value())
                : tx != null && tx.get("op") instanceof Value.Text t2 ? t2.value() : "unknown";
        BigInteger fee = nat(tx == null ? null : tx.get("fee"));
        if (fee == null) {
            fee = nat(b.get("fee"));
        }
        Long ts = natLong(b.get("ts"));
        return new LedgerBlock(ledger, index, HEX.formatHex(hash),
                b.get("phash") instanceof Value.Blob p ? HEX.formatHex(p.bytes()) : null,
                ts == null ? 0 : ts, op,
                account(tx == null ? null : tx.get("from")),
                account(tx == null ? null : tx.get("to")),
                nat(tx == null ? null : tx.get("amt")), fee,
                tx != null && tx.get("memo") instanceof Value.Blob memo ? HEX.formatHex(memo.bytes()) : null,
                natLong(tx == null ? null : tx.get("ts")), null, null,
                account(tx == null ? null : tx.get("spender")));
    }

    /** The ICRC-3 block types of ICRC-1/2 map to the legacy {@code tx.op} names; others stay as they are. */
    static String operation(String btype) {
        return switch (btype) {
            case "1xfer", "2xfer" -> "xfer";
            case "1mint" -> "mint";
            case "1burn" -> "burn";
            case "2approve" -> "approve";
            default -> btype;
        };
    }

    private static String account(Value v) {
        if (!(v instanceof Value.Array a) || a.items().isEmpty() || !(a.items().get(0) instanceof Value.Blob owner)) {
            return null;
        }
        byte[] sub = a.items().size() > 1 && a.items().get(1) instanceof Value.Blob s ? s.bytes() : null;
        return Account.of(Principal.of(owner.bytes()), sub).toText();
    }

    private static BigInteger nat(Value v) {
        return v instanceof Value.Nat n ? n.value() : null;
    }

    private static Long natLong(Value v) {
        return v instanceof Value.Nat n ? n.value().longValueExact() : null;
    }
}
