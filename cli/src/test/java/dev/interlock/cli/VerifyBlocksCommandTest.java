package dev.interlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import dev.interlock.ic.Account;
import dev.interlock.ic.AccountIdentifier;
import dev.interlock.ic.Hashes;
import dev.interlock.ic.Principal;
import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;
import dev.interlock.ic.ValueJson;
import dev.interlock.ic.candid.CandidValue;
import dev.interlock.ic.candid.IcpCandid;
import dev.interlock.ic.candid.Icrc3Candid;
import dev.interlock.ic.icp.pb.Block;
import dev.interlock.ic.icp.pb.Hash;
import dev.interlock.ic.icp.pb.Memo;
import dev.interlock.ic.icp.pb.Mint;
import dev.interlock.ic.icp.pb.Send;
import dev.interlock.ic.icp.pb.TimeStamp;
import dev.interlock.ic.icp.pb.Tokens;
import dev.interlock.ic.icp.pb.Transaction;

class VerifyBlocksCommandTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    // --- ICRC-3 blocks and their printed forms ----------------------------------------------------

    /** Blocks 0..n-1 of an ICRC-3 chain: each names the ICRC-3 hash of the one before as its phash. */
    static List<Value> icrcChain(int n) {
        List<Value> blocks = new ArrayList<>();
        byte[] previous = null;
        for (int i = 0; i < n; i++) {
            blocks.add(icrcBlock(previous, i, 1_000 + i));
            previous = ValueHash.hash(blocks.get(i));
        }
        return blocks;
    }

    static Value icrcBlock(byte[] phash, int i, long amount) {
        return Value.map().putIfPresent("phash", phash == null ? null : Value.blob(phash))
                .put("ts", Value.nat(1_700_000_000_000_000_000L + i))
                .put("btype", Value.text(i == 0 ? "1mint" : "1xfer"))
                .put("tx", Value.map().put("amt", Value.nat(amount))
                        .put("to", Value.account(Account.of(Principal.canister(i))))
                        .put("memo", Value.text("é \"quoted\"\\\n" + i))
                        .put("delta", Value.integer(-i)).build())
                .build();
    }

    /** A Value as dfx prints it. */
    static String candid(Value v) {
        if (v instanceof Value.Blob b) {
            StringBuilder s = new StringBuilder("variant { Blob = blob \"");
            for (byte x : b.bytes()) {
                s.append(x >= 0x20 && x < 0x7f && x != '"' && x != '\\' ? String.valueOf((char) x) : "\\" + HEX.toHexDigits(x));
            }
            return s.append("\" }").toString();
        } else if (v instanceof Value.Text t) {
            return "variant { Text = \"" + t.value().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\" }";
        } else if (v instanceof Value.Nat n) {
            return "variant { Nat = " + underscores(n.value()) + " : nat }";
        } else if (v instanceof Value.Int i) {
            return "variant { Int = " + underscores(i.value()) + " : int }";
        } else if (v instanceof Value.Array a) {
            return a.items().stream().map(VerifyBlocksCommandTest::candid).collect(Collectors.joining("; ",
                    "variant { Array = vec { ", " } }"));
        }
        return ((Value.Map) v).entries().stream().map(e -> "record { \"" + e.key() + "\"; " + candid(e.value()) + " }")
                .collect(Collectors.joining(";\n  ", "variant { Map = vec {\n  ", ";\n} }"));
    }

    static String underscores(BigInteger n) {
        String digits = n.abs().toString();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                s.append('_');
            }
            s.append(digits.charAt(i));
        }
        return (n.signum() < 0 ? "-" : "") + s;
    }

    /** An icrc3_get_blocks reply as dfx prints it. */
    static String candidReply(List<Value> blocks, long firstId) {
        StringBuilder s = new StringBuilder("(\n  record {\n    log_length = " + (firstId + blocks.size()) + " : nat;\n"
                + "    blocks = vec {\n");
        for (int i = 0; i < blocks.size(); i++) {
            s.append("      record {\n        id = ").append(firstId + i).append(" : nat;\n        block = ")
                    .append(candid(blocks.get(i))).append(";\n      };\n");
        }
        return s.append("    };\n    archived_blocks = vec {};\n  },\n)\n").toString();
    }

    static byte[] didlReply(List<Value> blocks, long firstId) {
        List<Icrc3Candid.Block> withIds = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            withIds.add(new Icrc3Candid.Block(BigInteger.valueOf(firstId + i), blocks.get(i)));
        }
        return Icrc3Candid.encodeGetBlocksResult(new Icrc3Candid.GetBlocksResult(BigInteger.valueOf(firstId + blocks.size()),
                withIds, List.of()));
    }

    static List<String> expectedLines(List<Value> blocks, long firstIndex) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            lines.add((firstIndex + i) + "\t" + hash(blocks.get(i)) + "\tok");
        }
        return lines;
    }

    static String hash(Value v) {
        return HEX.formatHex(ValueHash.hash(v));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static CliRun verify(Path file, String... options) {
        List<String> args = new ArrayList<>(List.of("verify-blocks"));
        args.addAll(List.of(options));
        args.add(file.toString());
        return CliRun.of(args.toArray(String[]::new));
    }

    // --- ICRC-3 ----------------------------------------------------------------------------------

    @Test
    void aChainAsCandidTextJsonAndRawRepliesVerifiesWithTheSameHashesInEveryForm() throws IOException {
        List<Value> chain = icrcChain(4);
        List<String> expected = new ArrayList<>(expectedLines(chain, 0));
        expected.add("verified 4 blocks 0..3: chain holds");

        List<Path> inputs = List.of(
                write("values.did", chain.stream().map(VerifyBlocksCommandTest::candid).collect(Collectors.joining("\n\n"))),
                write("reply.did", candidReply(chain, 0)),
                write("blocks.ndjson", chain.stream().map(ValueJson::write).collect(Collectors.joining("\n", "", "\n"))),
                write("blocks.json", chain.stream().map(ValueJson::write).collect(Collectors.joining(",\n", "[\n", "\n]"))),
                write("with-ids.ndjson", chain.stream().map(b -> "{\"id\":" + chain.indexOf(b) + ",\"block\":" + ValueJson.write(b) + "}")
                        .collect(Collectors.joining("\n"))),
                write("reply.bin", didlReply(chain, 0)),
                write("reply.hex", HEX.formatHex(didlReply(chain, 0)) + "\n"));

        for (Path input : inputs) {
            CliRun r = verify(input);
            assertThat(r.exit()).as(input.getFileName().toString()).isZero();
            assertThat(r.lines()).as(input.getFileName().toString()).containsExactlyElementsOf(expected);
        }
        assertThat(verify(inputs.get(1)).err()).contains("4 blocks, read as Candid text");
        assertThat(verify(inputs.get(5)).err()).contains("read as icrc3_get_blocks reply (Candid bytes)");
        assertThat(verify(inputs.get(6)).err()).contains("read as icrc3_get_blocks reply (Candid bytes in hex)");
    }

    @Test
    void aTamperedBlockBreaksTheChainAtTheBlockAfterItWithTheEvidenceAndExitsWithOne() throws IOException {
        List<Value> chain = new ArrayList<>(icrcChain(5));
        Value original = chain.get(2);
        Value tampered = icrcBlock(((Value.Blob) ((Value.Map) original).get("phash")).bytes(), 2, 1_000_000);
        chain.set(2, tampered);

        for (Path input : List.of(write("tampered.did", candidReply(chain, 0)), write("tampered.bin", didlReply(chain, 0)))) {
            CliRun r = verify(input);

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.lines()).containsExactly(
                    "0\t" + hash(chain.get(0)) + "\tok",
                    "1\t" + hash(chain.get(1)) + "\tok",
                    "2\t" + hash(tampered) + "\tok",
                    "3\t" + hash(chain.get(3)) + "\tparent hash mismatch: expected " + hash(tampered) + ", got " + hash(original),
                    "4\t" + hash(chain.get(4)) + "\tok",
                    "chain broken at block 3: parent hash mismatch (expected " + hash(tampered) + ", got " + hash(original) + ")");
        }
    }

    @Test
    void aMissingBlockIsAGapAndEveryBreakIsListed() throws IOException {
        List<Value> chain = icrcChain(6);
        String ndjson = List.of(0, 1, 3, 4, 5).stream()
                .map(i -> "{\"id\":" + i + ",\"block\":" + ValueJson.write(i == 5 ? icrcBlock(new byte[32], 5, 1) : chain.get(i)) + "}")
                .collect(Collectors.joining("\n"));

        CliRun r = verify(write("gap.ndjson", ndjson));

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lines()).contains("3\t" + hash(chain.get(3)) + "\tgap: expected 2, got 3", "4\t" + hash(chain.get(4)) + "\tok");
        assertThat(r.lines().get(4)).startsWith("5\t").endsWith("\tparent hash mismatch: expected " + hash(chain.get(4))
                + ", got " + "00".repeat(32));
        assertThat(r.lines().get(5)).isEqualTo("chain broken at block 3: gap (expected 2, got 3); 1 more break above");
    }

    @Test
    void blocksFromTheMiddleOfAChainVerifyAndTheSummarySaysTheFirstParentIsUnchecked() throws IOException {
        List<Value> chain = icrcChain(4);
        List<Value> tail = chain.subList(2, 4);
        String unchecked = "; the parent hash of block 2 (" + hash(chain.get(1)) + ") is not checked: block 1 is not in the input";

        CliRun bare = verify(write("tail.did", tail.stream().map(VerifyBlocksCommandTest::candid).collect(Collectors.joining("\n"))),
                "--start", "2");
        CliRun reply = verify(write("tail.bin", didlReply(tail, 2)));

        for (CliRun r : List.of(bare, reply)) {
            assertThat(r.exit()).isZero();
            assertThat(r.lines()).containsExactly("2\t" + hash(chain.get(2)) + "\tok", "3\t" + hash(chain.get(3)) + "\tok",
                    "verified 2 blocks 2..3: chain holds" + unchecked);
        }
        CliRun withoutStart = verify(dir.resolve("tail.did"));
        assertThat(withoutStart.exit()).isEqualTo(1);
        assertThat(withoutStart.lines().get(0)).isEqualTo("0\t" + hash(chain.get(2)) + "\tblock 0 names a parent: expected none, got "
                + hash(chain.get(1)));
    }

    @Test
    void unreadableInputExitsWithTwoAndSaysWhere() throws IOException {
        CliRun text = verify(write("bad.did", "variant { Map = vec {\n  record { \"a\" variant { Nat = 1 } }\n} }"));
        assertThat(text.exit()).isEqualTo(2);
        assertThat(text.err()).endsWith("bad.did:2:16: expected ';' or '}' after a record field, found 'variant'\n");

        CliRun json = verify(write("bad.json", "{\"Nat\":\"1\"}\n{\"Nat\":\"x\"}\n"));
        assertThat(json.exit()).isEqualTo(2);
        assertThat(json.err()).endsWith("bad.json: JSON value 2 (line 2): $: Nat is not an integer: \"x\"\n");

        CliRun didl = verify(write("bad.bin", new byte[] {'D', 'I', 'D', 'L', 0, 1}));
        assertThat(didl.exit()).isEqualTo(2);
        assertThat(didl.err()).contains("bad.bin: not a readable icrc3_get_blocks reply: ");

        CliRun notValue = verify(write("record.did", "record { x = 1 }"));
        assertThat(notValue.exit()).isEqualTo(2);
        assertThat(notValue.err()).contains("record.did:1:1: expected an ICRC-3 Value, a block record { id; block }");

        assertThat(verify(dir.resolve("absent.did")).exit()).isEqualTo(2);
        assertThat(verify(write("empty.did", "")).err()).endsWith("empty.did: no blocks in the input\n");
    }

    @Test
    void aJsonBlocksObjectAByteOrderMarkAndStandardInputAreRead() throws IOException {
        List<Value> chain = icrcChain(2);
        String json = "{\"blocks\":[" + chain.stream().map(ValueJson::write).collect(Collectors.joining(",")) + "]}";
        byte[] withBom = ("\uFEFF" + candidReply(chain, 0)).getBytes(StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>(expectedLines(chain, 0));
        expected.add("verified 2 blocks 0..1: chain holds");

        assertThat(verify(write("blocks.json", json)).lines()).containsExactlyElementsOf(expected);
        assertThat(verify(write("bom.did", withBom)).lines()).containsExactlyElementsOf(expected);
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(didlReply(chain, 0)));
            assertThat(CliRun.of("verify-blocks", "-").lines()).containsExactlyElementsOf(expected);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void icpHexWithoutIcpANegativeStartAndIcrcTextWithIcpAreRefusedWithAHint() throws IOException {
        Path hex = write("icp.hex", hexLines(icpChain(null, 2)));
        CliRun noIcp = verify(hex);
        assertThat(noIcp.exit()).isEqualTo(2);
        assertThat(noIcp.err()).endsWith("icp.hex: hex, but not a Candid message (DIDL…): ICP blocks in hex are read with --icp\n");

        CliRun negative = verify(hex, "--icp", "--start", "-1");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).isEqualTo("verify-blocks: --start must not be negative, got -1\n");

        CliRun icrcWithIcp = verify(write("values.did", candid(icrcChain(1).get(0))), "--icp");
        assertThat(icrcWithIcp.exit()).isEqualTo(2);
        assertThat(icrcWithIcp.err()).contains("line 1: expected an encoded block in hex, found 'variant { Map = vec {'")
                .endsWith(" (ICRC-3 blocks are read without --icp)\n");
    }

    // --- ICP -------------------------------------------------------------------------------------

    static byte[] accountId(int canister) {
        return AccountIdentifier.of(Account.of(Principal.canister(canister)));
    }

    static dev.interlock.ic.icp.pb.AccountIdentifier pbAccount(int canister) {
        return dev.interlock.ic.icp.pb.AccountIdentifier.newBuilder().setHash(ByteString.copyFrom(accountId(canister))).build();
    }

    /** An ICP block: a mint without a parent, else a transfer naming {@code parent}. */
    static byte[] icpBlock(byte[] parent, long i) {
        Transaction.Builder tx = Transaction.newBuilder().setMemo(Memo.newBuilder().setMemo(i));
        if (parent == null) {
            tx.setMint(Mint.newBuilder().setTo(pbAccount(1)).setAmount(Tokens.newBuilder().setE8S(100_000_000L)));
        } else {
            tx.setSend(Send.newBuilder().setFrom(pbAccount(1)).setTo(pbAccount(2)).setAmount(Tokens.newBuilder().setE8S(1_000 + i))
                    .setMaxFee(Tokens.newBuilder().setE8S(10_000)));
        }
        Block.Builder b = Block.newBuilder().setTimestamp(TimeStamp.newBuilder().setTimestampNanos(1_700_000_000_000_000_000L + i))
                .setTransaction(tx);
        if (parent != null) {
            b.setParentHash(Hash.newBuilder().setHash(ByteString.copyFrom(parent)));
        }
        return b.build().toByteArray();
    }

    /** Encoded blocks chained by SHA-256 of the encoding; the first names {@code firstParent} (null for block 0). */
    static List<byte[]> icpChain(byte[] firstParent, int n) {
        List<byte[]> blocks = new ArrayList<>();
        byte[] parent = firstParent;
        for (int i = 0; i < n; i++) {
            byte[] b = icpBlock(parent, i);
            blocks.add(b);
            parent = Hashes.sha256(b);
        }
        return blocks;
    }

    static List<String> expectedIcpLines(List<byte[]> blocks, long first) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            lines.add((first + i) + "\t" + HEX.formatHex(Hashes.sha256(blocks.get(i))) + "\tok");
        }
        return lines;
    }

    static String hexLines(List<byte[]> blocks) {
        return blocks.stream().map(HEX::formatHex).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void icpBlocksInHexLinesVerify() throws IOException {
        List<byte[]> chain = icpChain(null, 3);
        List<String> expected = new ArrayList<>(expectedIcpLines(chain, 0));
        expected.add("verified 3 blocks 0..2: chain holds");

        CliRun r = verify(write("icp.hex", "# query_encoded_blocks 0..2\n" + hexLines(chain)), "--icp");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void anIcpBlockNamingAWrongParentIsRejectedWithTheEvidence() throws IOException {
        List<byte[]> chain = icpChain(null, 2);
        byte[] wrong = Hashes.sha256("not block 1".getBytes(StandardCharsets.UTF_8));
        chain.add(icpBlock(wrong, 2));
        String expectedParent = HEX.formatHex(Hashes.sha256(chain.get(1)));

        CliRun r = verify(write("icp.hex", hexLines(chain)), "--icp");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lines()).containsExactly(
                "0\t" + HEX.formatHex(Hashes.sha256(chain.get(0))) + "\tok",
                "1\t" + HEX.formatHex(Hashes.sha256(chain.get(1))) + "\tok",
                "2\t" + HEX.formatHex(Hashes.sha256(chain.get(2))) + "\tparent hash mismatch: expected " + expectedParent
                        + ", got " + HEX.formatHex(wrong),
                "chain broken at block 2: parent hash mismatch (expected " + expectedParent + ", got " + HEX.formatHex(wrong) + ")");
    }

    @Test
    void aRawQueryEncodedBlocksReplyVerifiesFromItsFirstBlockIndexInBinaryHexAndCandidText() throws IOException {
        byte[] parentOf10 = Hashes.sha256("block 9".getBytes(StandardCharsets.UTF_8));
        List<byte[]> chain = icpChain(parentOf10, 3);
        CandidValue.Func archive = new CandidValue.Func(Principal.canister(5).bytes(), "get_encoded_blocks");
        byte[] reply = IcpCandid.encode(new IcpCandid.EncodedBlocks(Optional.empty(), chain, 13, 10,
                List.of(new IcpCandid.ArchivedRange(0, 10, archive))));
        String printed = "(\n  record {\n    certificate = null;\n    blocks = vec {\n"
                + chain.stream().map(b -> "      blob \"" + escaped(b) + "\";\n").collect(Collectors.joining())
                + "    };\n    chain_length = 13 : nat64;\n    first_block_index = 10 : nat64;\n    archived_blocks = vec {};\n  },\n)\n";
        List<String> expected = new ArrayList<>(expectedIcpLines(chain, 10));
        expected.add("verified 3 blocks 10..12: chain holds; the parent hash of block 10 (" + HEX.formatHex(parentOf10)
                + ") is not checked: block 9 is not in the input");

        for (Path input : List.of(write("reply.bin", reply), write("reply.hex", HEX.formatHex(reply)), write("reply.did", printed))) {
            CliRun r = verify(input, "--icp");
            assertThat(r.exit()).as(input.getFileName().toString()).isZero();
            assertThat(r.lines()).as(input.getFileName().toString()).containsExactlyElementsOf(expected);
        }
        assertThat(verify(dir.resolve("reply.bin"), "--icp").err()).contains("note: blocks 0..9 are in an archive, not in this reply");
    }

    @Test
    void icpHexLinesStartingAtAGivenIndexSayTheFirstParentIsUncheckedAndBadHexExitsWithTwo() throws IOException {
        byte[] parent = Hashes.sha256("block 99".getBytes(StandardCharsets.UTF_8));
        List<byte[]> chain = icpChain(parent, 2);

        CliRun r = verify(write("icp.hex", hexLines(chain)), "--icp", "--start", "100");

        assertThat(r.exit()).isZero();
        assertThat(r.lines()).last().isEqualTo("verified 2 blocks 100..101: chain holds; the parent hash of block 100 ("
                + HEX.formatHex(parent) + ") is not checked: block 99 is not in the input");

        CliRun bad = verify(write("bad.hex", HEX.formatHex(chain.get(0)) + "\nzz12\n"), "--icp");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).endsWith("bad.hex: line 2: expected an encoded block in hex, found 'zz12'\n");

        CliRun notABlock = verify(write("junk.hex", "0a0b\n"), "--icp");
        assertThat(notABlock.exit()).isEqualTo(2);
        assertThat(notABlock.err()).contains("junk.hex: line 1: ICP block 0: ");
    }

    private static String escaped(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append('\\').append(HEX.toHexDigits(b));
        }
        return s.toString();
    }
}
