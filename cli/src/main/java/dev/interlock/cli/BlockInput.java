package dev.interlock.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.interlock.ic.Value;
import dev.interlock.ic.ValueJson;
import dev.interlock.ic.candid.CandidDecoder;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.CandidText;
import dev.interlock.ic.candid.CandidType;
import dev.interlock.ic.candid.CandidValue;
import dev.interlock.ic.candid.IcpCandid;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ic.icp.IcpBlock;

/**
 * Reads the forensic commands' input (docs/forensic-cli.md). ICRC-3 blocks come as Candid text (Values, block
 * records {@code { id; block }} or a whole {@code icrc3_get_blocks} reply as {@code dfx} prints it), as JSON
 * ({@link ValueJson}, one per line or in arrays, optionally {@code {"id":n,"block":…}}) or as the raw reply
 * ({@code DIDL} bytes, binary or hex). ICP blocks come as hex lines or as the raw or printed
 * {@code query_encoded_blocks} reply. Anything unreadable is a {@link BadInput} naming where and why.
 */
final class BlockInput {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DIDL = {'D', 'I', 'D', 'L'};
    private static final Map<Long, String> ALTERNATIVES = Map.of(CandidType.idOf("Blob"), "Blob", CandidType.idOf("Text"), "Text",
            CandidType.idOf("Nat"), "Nat", CandidType.idOf("Nat64"), "Nat64", CandidType.idOf("Int"), "Int",
            CandidType.idOf("Array"), "Array", CandidType.idOf("Map"), "Map");

    private BlockInput() {
    }

    /** Input that cannot be read (exit status 2); the message says where and why. */
    static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message);
        }
    }

    /** An ICRC-3 block and its index. */
    record IcrcBlock(long index, Value block) {
    }

    /** What was read: the form detected, the blocks, and notes for the user (archived ranges left out). */
    record Read<B>(String form, List<B> blocks, List<String> notes) {
    }

    /** The bytes of {@code file}, or of standard input for {@code -}. */
    static byte[] readAll(String file) throws IOException {
        return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    }

    static String displayName(String file) {
        return file.equals("-") ? "<stdin>" : file;
    }

    // --- ICRC-3 values in Candid text -----------------------------------------------------------

    /** Every value of a Candid text document as an ICRC-3 Value. */
    static List<Value> values(CandidText.Document doc) {
        List<Value> out = new ArrayList<>();
        for (CandidValue v : doc.values()) {
            out.add(value(v, doc));
        }
        return out;
    }

    /**
     * An ICRC-3 Value from its Candid text: {@code Nat64} (older ledgers) reads as a Nat, a Blob may be written
     * {@code vec { 1; 2 }}, numbers may carry any integer annotation that fits. Errors are placed in the text.
     */
    static Value value(CandidValue v, CandidText.Document doc) {
        if (!(v instanceof CandidValue.Variant var)) {
            throw doc.errorAt(v, "expected an ICRC-3 Value (variant { Blob; Text; Nat; Nat64; Int; Array; Map }), found "
                    + kind(v));
        }
        String alternative = ALTERNATIVES.get(var.id());
        if (alternative == null) {
            throw doc.errorAt(v, "expected an ICRC-3 Value alternative (Blob, Text, Nat, Nat64, Int, Array or Map), found "
                    + doc.nameOf(var.id()));
        }
        CandidValue x = var.value();
        switch (alternative) {
            case "Blob":
                return Value.blob(bytes(x, doc, "a Blob"));
            case "Text":
                if (x instanceof CandidValue.Text t) {
                    return Value.text(t.value());
                }
                throw doc.errorAt(x, "expected a text for Text, found " + kind(x));
            case "Nat":
                return Value.nat(natural(x, doc, "Nat", 0));
            case "Nat64":
                return Value.nat(natural(x, doc, "Nat64", 64));
            case "Int": {
                BigInteger n = integer(x);
                if (n == null) {
                    throw doc.errorAt(x, "expected an integer for Int, found " + kind(x));
                }
                return new Value.Int(n);
            }
            case "Array": {
                if (!(x instanceof CandidValue.Vec items)) {
                    throw doc.errorAt(x, "expected vec { Value; … } for Array, found " + kind(x));
                }
                List<Value> out = new ArrayList<>();
                for (CandidValue item : items.items()) {
                    out.add(value(item, doc));
                }
                return new Value.Array(out);
            }
            default: { // Map
                if (!(x instanceof CandidValue.Vec entries)) {
                    throw doc.errorAt(x, "expected vec { record { text; Value }; … } for Map, found " + kind(x));
                }
                List<Value.Entry> out = new ArrayList<>();
                for (CandidValue e : entries.items()) {
                    if (!(e instanceof CandidValue.Record pair) || pair.fields().size() != 2
                            || !(pair.fields().get(0L) instanceof CandidValue.Text key) || pair.fields().get(1L) == null) {
                        throw doc.errorAt(e, "expected a Map entry record { \"key\"; Value }, found " + kind(e)
                                + (e instanceof CandidValue.Record ? " of other fields" : ""));
                    }
                    out.add(new Value.Entry(key.value(), value(pair.fields().get(1L), doc)));
                }
                return new Value.Map(out);
            }
        }
    }

    /** A blob written {@code blob "…"} or {@code vec { 1; 2 }}. */
    private static byte[] bytes(CandidValue x, CandidText.Document doc, String what) {
        if (x instanceof CandidValue.Blob b) {
            return b.bytes();
        }
        if (x instanceof CandidValue.Vec vec) {
            byte[] out = new byte[vec.items().size()];
            for (int i = 0; i < out.length; i++) {
                CandidValue item = vec.items().get(i);
                BigInteger n = integer(item);
                boolean unsigned = !(item instanceof CandidValue.Fixed f) || f.type() == CandidType.Prim.NAT8;
                if (n == null || !unsigned || n.signum() < 0 || n.intValue() > 255 || n.bitLength() > 8) {
                    throw doc.errorAt(item, "expected a byte (0..255) of " + what + ", found " + describe(item));
                }
                out[i] = (byte) n.intValue();
            }
            return out;
        }
        throw doc.errorAt(x, "expected blob \"…\" or vec { nat8 } for " + what + ", found " + kind(x));
    }

    /** A non-negative integer of at most {@code bits} bits (0: unbounded); an annotation must be a nat type. */
    private static BigInteger natural(CandidValue x, CandidText.Document doc, String alternative, int bits) {
        BigInteger n = integer(x);
        boolean natType = !(x instanceof CandidValue.Fixed f) || f.type().name().startsWith("NAT");
        if (n == null || !natType) {
            throw doc.errorAt(x, "expected a natural number for " + alternative + ", found " + kind(x));
        }
        if (n.signum() < 0) {
            throw doc.errorAt(x, "expected a natural number for " + alternative + ", found " + n);
        }
        if (bits > 0 && n.bitLength() > bits) {
            throw doc.errorAt(x, alternative + " holds at most " + bits + " bits, found " + n);
        }
        return n;
    }

    private static BigInteger integer(CandidValue x) {
        if (x instanceof CandidValue.Big b) {
            return b.value();
        }
        if (x instanceof CandidValue.Fixed f) {
            return f.unsigned(); // the value itself for every width but nat64, whose bits it reads unsigned
        }
        return null;
    }

    private static String describe(CandidValue v) {
        BigInteger n = integer(v);
        return n != null ? n.toString() : kind(v);
    }

    private static String kind(CandidValue v) {
        if (v instanceof CandidValue.Fixed f) {
            return "a " + f.type().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (v instanceof CandidValue.Big) {
            return "a number";
        }
        String name = v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        return (name.matches("[aeiou].*") ? "an " : "a ") + name;
    }

    // --- ICRC-3 blocks ------------------------------------------------------------------------------

    /** A block before indexes are given: its id, if the input had one. */
    private record Pending(BigInteger id, Value block) {
    }

    /** Reads ICRC-3 blocks in any of the forms; blocks without an id follow the previous one, the first at {@code start}. */
    static Read<IcrcBlock> readIcrc(byte[] data, long start) {
        if (isDidl(data)) {
            return icrcReply(data, "icrc3_get_blocks reply (Candid bytes)");
        }
        String text = utf8(data);
        byte[] didl = hexDidl(text);
        if (didl != null) {
            return icrcReply(didl, "icrc3_get_blocks reply (Candid bytes in hex)");
        }
        String head = text.stripLeading();
        if (!head.isEmpty() && head.lines().allMatch(l -> l.isBlank() || l.strip().matches("(0x)?[0-9a-fA-F]+"))) {
            throw new BadInput("hex, but not a Candid message (DIDL…): ICP blocks in hex are read with --icp");
        }
        if (head.startsWith("{") || head.startsWith("[")) {
            return indexed("JSON", json(text), start, List.of());
        }
        CandidText.Document doc = CandidText.parse(text);
        List<Pending> pending = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (CandidValue v : doc.values()) {
            collect(v, doc, pending, notes);
        }
        return indexed("Candid text", pending, start, notes);
    }

    private static Read<IcrcBlock> indexed(String form, List<Pending> pending, long start, List<String> notes) {
        List<IcrcBlock> blocks = new ArrayList<>();
        long next = start;
        for (Pending p : pending) {
            long index = p.id() == null ? next : p.id().longValueExact();
            blocks.add(new IcrcBlock(index, p.block()));
            next = index + 1;
        }
        return new Read<>(form, blocks, notes);
    }

    /** A Value, a block record {@code { id; block }}, a reply {@code { blocks; … }} or a vec of these. */
    private static void collect(CandidValue v, CandidText.Document doc, List<Pending> out, List<String> notes) {
        if (v instanceof CandidValue.Variant) {
            out.add(new Pending(null, value(v, doc)));
        } else if (v instanceof CandidValue.Vec vec) {
            for (CandidValue item : vec.items()) {
                collect(item, doc, out, notes);
            }
        } else if (v instanceof CandidValue.Record r && r.get("blocks") != null) {
            if (!(r.get("blocks") instanceof CandidValue.Vec blocks)) {
                throw doc.errorAt(r.get("blocks"), "expected vec { … } for the reply's blocks, found " + kind(r.get("blocks")));
            }
            // Older replies (get_blocks) list bare Values from first_index.
            BigInteger next = r.get("first_index") == null ? null : index(r.get("first_index"), doc);
            for (CandidValue b : blocks.items()) {
                if (next != null && b instanceof CandidValue.Variant) {
                    out.add(new Pending(next, value(b, doc)));
                    next = next.add(BigInteger.ONE);
                } else {
                    collect(b, doc, out, notes);
                }
            }
            if (r.get("archived_blocks") instanceof CandidValue.Vec archived && !archived.items().isEmpty()) {
                notes.add("the reply points to " + archived.items().size() + " archive callback(s) whose blocks are not in it; "
                        + "verify those blocks from the archives");
            }
        } else if (v instanceof CandidValue.Record r && r.get("block") != null) {
            out.add(new Pending(r.get("id") == null ? null : index(r.get("id"), doc), value(r.get("block"), doc)));
        } else {
            throw doc.errorAt(v, "expected an ICRC-3 Value, a block record { id; block } or an icrc3_get_blocks reply "
                    + "record { log_length; blocks; archived_blocks }, found " + kind(v));
        }
    }

    private static BigInteger index(CandidValue v, CandidText.Document doc) {
        BigInteger n = integer(v);
        if (n == null || n.signum() < 0 || n.bitLength() > 63) {
            throw doc.errorAt(v, "expected a block index, found " + describe(v));
        }
        return n;
    }

    private static Read<IcrcBlock> icrcReply(byte[] reply, String form) {
        Icrc3Candid.GetBlocksResult r;
        try {
            r = Icrc3Candid.readGetBlocksResult(reply, CandidDecoder.Limits.DEFAULT);
        } catch (CandidException e) {
            throw new BadInput("not a readable icrc3_get_blocks reply: " + e.getMessage());
        }
        List<IcrcBlock> blocks = new ArrayList<>();
        for (Icrc3Candid.Block b : r.blocks()) {
            if (b.id().bitLength() > 63) {
                throw new BadInput("block id " + b.id() + " is out of range");
            }
            blocks.add(new IcrcBlock(b.id().longValueExact(), b.block()));
        }
        List<String> notes = new ArrayList<>();
        for (Icrc3Candid.Archived a : r.archived()) {
            for (Icrc3Candid.Range range : a.args()) {
                notes.add("blocks " + range(range.start(), range.length()) + " are in an archive, not in this reply");
            }
        }
        return new Read<>(form, blocks, notes);
    }

    /** JSON values, one after the other: Values, {@code {"id":n,"block":…}}, arrays of these, or {@code {"blocks":[…]}}. */
    private static List<Pending> json(String text) {
        List<Pending> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper().readerFor(JsonNode.class).readValues(text)) {
            int k = 0;
            while (it.hasNextValue()) {
                JsonLocation at = it.getParser().currentTokenLocation();
                collectJson(it.nextValue(), out, "JSON value " + ++k + " (line " + at.getLineNr() + ")");
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new BadInput((l == null ? "" : l.getLineNr() + ":" + l.getColumnNr() + ": ") + "not JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInput("not JSON: " + e.getMessage());
        }
        return out;
    }

    private static void collectJson(JsonNode n, List<Pending> out, String where) {
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collectJson(n.get(i), out, where + "[" + i + "]");
            }
        } else if (n.isObject() && n.has("blocks") && n.get("blocks").isArray()) {
            collectJson(n.get("blocks"), out, where + ".blocks");
        } else if (n.isObject() && n.has("block")) {
            BigInteger id = null;
            if (n.hasNonNull("id")) {
                try {
                    id = new BigInteger(n.get("id").asText());
                } catch (NumberFormatException e) {
                    throw new BadInput(where + ": id is not a block index: " + n.get("id"));
                }
                if (id.signum() < 0 || id.bitLength() > 63) {
                    throw new BadInput(where + ": id is not a block index: " + id);
                }
            }
            out.add(new Pending(id, jsonValue(n.get("block"), where + ".block")));
        } else {
            out.add(new Pending(null, jsonValue(n, where)));
        }
    }

    private static Value jsonValue(JsonNode n, String where) {
        try {
            return ValueJson.read(n);
        } catch (IllegalArgumentException e) {
            throw new BadInput(where + ": " + e.getMessage());
        }
    }

    // --- ICP blocks ---------------------------------------------------------------------------------

    /** Reads ICP blocks: hex lines (indexes from {@code start}) or a {@code query_encoded_blocks} reply (its own index). */
    static Read<IcpBlock> readIcp(byte[] data, long start) {
        if (isDidl(data)) {
            return icpReply(data, "query_encoded_blocks reply (Candid bytes)");
        }
        String text = utf8(data);
        byte[] didl = hexDidl(text);
        if (didl != null) {
            return icpReply(didl, "query_encoded_blocks reply (Candid bytes in hex)");
        }
        String[] lines = text.split("\r?\n", -1);
        String first = "";
        for (String line : lines) {
            if (!isBlankOrComment(line)) {
                first = line.strip();
                break;
            }
        }
        if (first.startsWith("(") || first.startsWith("record")) {
            return icpText(CandidText.parse(text));
        }
        List<IcpBlock> blocks = new ArrayList<>();
        long index = start;
        for (int i = 0; i < lines.length; i++) {
            if (isBlankOrComment(lines[i])) {
                continue;
            }
            String hex = lines[i].strip();
            if (hex.startsWith("0x") || hex.startsWith("0X")) {
                hex = hex.substring(2);
            }
            byte[] bytes;
            try {
                bytes = HEX.parseHex(hex);
            } catch (IllegalArgumentException e) {
                boolean icrc = hex.startsWith("variant") || hex.startsWith("{") || hex.startsWith("[");
                throw new BadInput("line " + (i + 1) + ": expected an encoded block in hex, found '" + abbreviate(hex) + "'"
                        + (icrc ? " (ICRC-3 blocks are read without --icp)" : ""));
            }
            blocks.add(decodeIcp(index++, bytes, "line " + (i + 1) + ": "));
        }
        return new Read<>("hex lines", blocks, List.of());
    }

    private static boolean isBlankOrComment(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#") || s.startsWith("//");
    }

    /**
     * The reply as {@code dfx} prints it:
     * {@code (record { blocks = vec { blob "…"; … }; first_block_index = n : nat64; … })}.
     */
    private static Read<IcpBlock> icpText(CandidText.Document doc) {
        if (doc.values().size() != 1 || !(doc.values().get(0) instanceof CandidValue.Record r)) {
            throw new BadInput("expected one query_encoded_blocks reply record { blocks; first_block_index; … }");
        }
        if (!(r.get("blocks") instanceof CandidValue.Vec items)) {
            throw doc.errorAt(r, "expected the reply's field blocks = vec { blob \"…\"; … }");
        }
        if (r.get("first_block_index") == null) {
            throw doc.errorAt(r, "expected the reply's field first_block_index");
        }
        long index = index(r.get("first_block_index"), doc).longValueExact();
        List<IcpBlock> blocks = new ArrayList<>();
        for (CandidValue item : items.items()) {
            String where = doc.positionOf(item) + ": ";
            blocks.add(decodeIcp(index++, bytes(item, doc, "an encoded block"), where));
        }
        List<String> notes = new ArrayList<>();
        if (r.get("archived_blocks") instanceof CandidValue.Vec archived && !archived.items().isEmpty()) {
            notes.add("the reply points to " + archived.items().size() + " archived range(s) whose blocks are not in it; "
                    + "verify those blocks from the archives");
        }
        return new Read<>("query_encoded_blocks reply (Candid text)", blocks, notes);
    }

    private static Read<IcpBlock> icpReply(byte[] reply, String form) {
        IcpCandid.EncodedBlocks r;
        try {
            r = IcpCandid.read(reply, CandidDecoder.Limits.DEFAULT);
        } catch (CandidException e) {
            throw new BadInput("not a readable query_encoded_blocks reply: " + e.getMessage());
        }
        List<IcpBlock> blocks = new ArrayList<>();
        long index = r.firstBlockIndex();
        for (byte[] b : r.blocks()) {
            blocks.add(decodeIcp(index++, b, ""));
        }
        List<String> notes = new ArrayList<>();
        for (IcpCandid.ArchivedRange a : r.archived()) {
            notes.add("blocks " + range(BigInteger.valueOf(a.start()), BigInteger.valueOf(a.length()))
                    + " are in an archive, not in this reply");
        }
        return new Read<>(form, blocks, notes);
    }

    private static IcpBlock decodeIcp(long index, byte[] bytes, String where) {
        try {
            return IcpBlock.decode(index, bytes);
        } catch (IllegalArgumentException e) {
            throw new BadInput(where + e.getMessage());
        }
    }

    // --- detection ----------------------------------------------------------------------------------

    private static boolean isDidl(byte[] data) {
        return data.length >= 4 && data[0] == DIDL[0] && data[1] == DIDL[1] && data[2] == DIDL[2] && data[3] == DIDL[3];
    }

    /** The bytes of a Candid message written in hex ({@code dfx --output raw}), or null when the text is not one. */
    private static byte[] hexDidl(String text) {
        String compact = text.replaceAll("\\s+", "");
        if (compact.length() < 8 || compact.length() % 2 != 0 || !compact.regionMatches(true, 0, "4449444c", 0, 8)
                || !compact.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            return null;
        }
        return HEX.parseHex(compact);
    }

    /** The text of {@code data}, which must be UTF-8 (a lenient decoding would change the hashes of Texts). */
    static String utf8(byte[] data) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte order mark is no part of the text
        } catch (CharacterCodingException e) {
            throw new BadInput("neither a Candid message (DIDL…) nor UTF-8 text");
        }
    }

    private static String range(BigInteger start, BigInteger length) {
        return start + ".." + start.add(length).subtract(BigInteger.ONE);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
