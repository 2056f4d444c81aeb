package dev.interlock.ic.candid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ICP ledger's block query over Candid: {@code query_encoded_blocks : (GetBlocksArgs) ->
 * (QueryEncodedBlocksResponse) query}, whose archived ranges point to the archives'
 * {@code get_encoded_blocks : (GetBlocksArgs) -> (variant { Ok : vec blob; Err : ... }) query}.
 * Index and lengths are {@code nat64}; blocks are the raw protobuf encodings.
 */
public final class IcpCandid {
    private static final long START = CandidType.idOf("start");
    private static final long LENGTH = CandidType.idOf("length");
    private static final long CERTIFICATE = CandidType.idOf("certificate");
    private static final long BLOCKS = CandidType.idOf("blocks");
    private static final long CHAIN_LENGTH = CandidType.idOf("chain_length");
    private static final long FIRST_BLOCK_INDEX = CandidType.idOf("first_block_index");
    private static final long ARCHIVED_BLOCKS = CandidType.idOf("archived_blocks");
    private static final long CALLBACK = CandidType.idOf("callback");
    private static final long OK = CandidType.idOf("Ok");
    private static final long ERR = CandidType.idOf("Err");

    private IcpCandid() {
    }

    /** An archived range and the archive method that serves it. */
    public record ArchivedRange(long start, long length, CandidValue.Func callback) {
    }

    /** {@code QueryEncodedBlocksResponse}. */
    public record EncodedBlocks(Optional<byte[]> certificate, List<byte[]> blocks, long chainLength, long firstBlockIndex,
            List<ArchivedRange> archived) {
    }

    /** Type table: 0 GetBlocksArgs, 1 QueryEncodedBlocksResponse, 2 opt blob, 3 blob, 4 vec blob, 5 vec archived, 6 archived, 7 callback func, 8 archive result variant, 9 error variant. */
    public static List<CandidType> table() {
        return List.of(
                CandidType.Record.of(new CandidType.Field(START, CandidType.NAT64), new CandidType.Field(LENGTH, CandidType.NAT64)),
                CandidType.Record.of(new CandidType.Field(CERTIFICATE, new CandidType.Ref(2)), new CandidType.Field(BLOCKS, new CandidType.Ref(4)),
                        new CandidType.Field(CHAIN_LENGTH, CandidType.NAT64),
                        new CandidType.Field(FIRST_BLOCK_INDEX, CandidType.NAT64),
                        new CandidType.Field(ARCHIVED_BLOCKS, new CandidType.Ref(5))),
                new CandidType.Opt(new CandidType.Ref(3)),
                new CandidType.Vec(CandidType.NAT8),
                new CandidType.Vec(new CandidType.Ref(3)),
                new CandidType.Vec(new CandidType.Ref(6)),
                CandidType.Record.of(new CandidType.Field(CALLBACK, new CandidType.Ref(7)), new CandidType.Field(START, CandidType.NAT64),
                        new CandidType.Field(LENGTH, CandidType.NAT64)),
                new CandidType.Func(List.of(new CandidType.Ref(0)), List.of(new CandidType.Ref(8)), List.of(1)),
                CandidType.Variant.of(new CandidType.Field(OK, new CandidType.Ref(4)), new CandidType.Field(ERR, new CandidType.Ref(9))),
                CandidType.Variant.of(new CandidType.Field(CandidType.idOf("BadFirstBlockIndex"), CandidType.RESERVED),
                        new CandidType.Field(CandidType.idOf("Other"), CandidType.RESERVED)));
    }

    public static byte[] encodeGetBlocksArgs(long start, long length) {
        return CandidEncoder.encode(table(), List.of(new CandidType.Ref(0)), List.of(range(start, length)));
    }

    private static CandidValue range(long start, long length) {
        Map<Long, CandidValue> m = new LinkedHashMap<>();
        m.put(START, new CandidValue.Fixed(CandidType.Prim.NAT64, start));
        m.put(LENGTH, new CandidValue.Fixed(CandidType.Prim.NAT64, length));
        return new CandidValue.Record(m);
    }

    /** Encodes a ledger's reply (for the fake replica and tests). */
    public static byte[] encode(EncodedBlocks r) {
        Map<Long, CandidValue> m = new LinkedHashMap<>();
        m.put(CERTIFICATE, new CandidValue.Opt(r.certificate().map(c -> (CandidValue) new CandidValue.Blob(c)).orElse(null)));
        m.put(BLOCKS, new CandidValue.Vec(r.blocks().stream().map(b -> (CandidValue) new CandidValue.Blob(b)).toList()));
        m.put(CHAIN_LENGTH, new CandidValue.Fixed(CandidType.Prim.NAT64, r.chainLength()));
        m.put(FIRST_BLOCK_INDEX, new CandidValue.Fixed(CandidType.Prim.NAT64, r.firstBlockIndex()));
        List<CandidValue> arch = new ArrayList<>();
        for (ArchivedRange a : r.archived()) {
            Map<Long, CandidValue> am = new LinkedHashMap<>();
            am.put(CALLBACK, a.callback());
            am.put(START, new CandidValue.Fixed(CandidType.Prim.NAT64, a.start()));
            am.put(LENGTH, new CandidValue.Fixed(CandidType.Prim.NAT64, a.length()));
            arch.add(new CandidValue.Record(am));
        }
        m.put(ARCHIVED_BLOCKS, new CandidValue.Vec(arch));
        return CandidEncoder.encode(table(), List.of(new CandidType.Ref(1)), List.of(new CandidValue.Record(m)));
    }

    /** Encodes an archive's {@code get_encoded_blocks} answer {@code Ok(blocks)} (for the fake replica and tests). */
    public static byte[] encodeArchiveReply(List<byte[]> blocks) {
        return CandidEncoder.encode(table(), List.of(new CandidType.Ref(8)), List.of(new CandidValue.Variant(OK,
                new CandidValue.Vec(blocks.stream().map(b -> (CandidValue) new CandidValue.Blob(b)).toList()))));
    }

    /** Reads a {@code query_encoded_blocks} reply; a missing or mistyped field is an error naming it. */
    public static EncodedBlocks read(byte[] reply, CandidDecoder.Limits limits) {
        CandidDecoder.Message msg = CandidDecoder.decode(reply, limits);
        CandidValue.Record r = as(msg.values().isEmpty() ? null : msg.values().get(0), CandidValue.Record.class, "reply");
        CandidValue.Opt cert = as(r.fields().get(CERTIFICATE), CandidValue.Opt.class, "certificate");
        Optional<byte[]> certificate = cert.value() == null ? Optional.empty()
                : Optional.of(as(cert.value(), CandidValue.Blob.class, "certificate").bytes());
        List<byte[]> blocks = new ArrayList<>();
        for (CandidValue b : as(r.fields().get(BLOCKS), CandidValue.Vec.class, "blocks").items()) {
            blocks.add(as(b, CandidValue.Blob.class, "blocks[]").bytes());
        }
        List<ArchivedRange> archived = new ArrayList<>();
        for (CandidValue a : as(r.fields().get(ARCHIVED_BLOCKS), CandidValue.Vec.class, "archived_blocks").items()) {
            CandidValue.Record ar = as(a, CandidValue.Record.class, "archived_blocks[]");
            archived.add(new ArchivedRange(nat64(ar, START, "archived_blocks[].start"), nat64(ar, LENGTH, "archived_blocks[].length"),
                    as(ar.fields().get(CALLBACK), CandidValue.Func.class, "archived_blocks[].callback")));
        }
        return new EncodedBlocks(certificate, blocks, nat64(r, CHAIN_LENGTH, "chain_length"),
                nat64(r, FIRST_BLOCK_INDEX, "first_block_index"), archived);
    }

    /** Reads an archive's {@code get_encoded_blocks} reply: the blocks, or an error naming the archive's reason. */
    public static List<byte[]> readArchiveReply(byte[] reply, CandidDecoder.Limits limits) {
        CandidDecoder.Message msg = CandidDecoder.decode(reply, limits);
        CandidValue.Variant v = as(msg.values().isEmpty() ? null : msg.values().get(0), CandidValue.Variant.class, "reply");
        if (v.id() == ERR) {
            throw new CandidException("get_encoded_blocks: the archive answered Err: " + v.value());
        }
        if (v.id() != OK) {
            throw new CandidException("get_encoded_blocks: neither Ok nor Err");
        }
        List<byte[]> out = new ArrayList<>();
        for (CandidValue b : as(v.value(), CandidValue.Vec.class, "Ok").items()) {
            out.add(as(b, CandidValue.Blob.class, "Ok[]").bytes());
        }
        return out;
    }

    private static long nat64(CandidValue.Record r, long id, String name) {
        return as(r.fields().get(id), CandidValue.Fixed.class, name).bits();
    }

    private static <T extends CandidValue> T as(CandidValue v, Class<T> type, String where) {
        if (!type.isInstance(v)) {
            throw new CandidException("QueryEncodedBlocksResponse: " + where + " is "
                    + (v == null ? "missing" : v.getClass().getSimpleName()) + ", not " + type.getSimpleName());
        }
        return type.cast(v);
    }
}
