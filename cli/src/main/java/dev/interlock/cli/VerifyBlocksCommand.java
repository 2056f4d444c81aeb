package dev.interlock.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.interlock.ic.HashChain;
import dev.interlock.ic.Icrc3Chain;
import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.icp.IcpBlock;
import dev.interlock.ic.icp.IcpChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify-blocks}: hashes a sequence of ledger blocks and checks their chain (docs/forensic-cli.md). */
@Command(name = "verify-blocks", mixinStandardHelpOptions = true,
        description = {"Prints each block's index and hash, then whether the blocks form an unbroken hash chain.",
                "ICRC-3 blocks, detected: Candid text (Values, or a whole icrc3_get_blocks reply as dfx prints it); "
                        + "JSON Values (one per line or in an array, optionally {\"id\":n,\"block\":…}); or the raw "
                        + "icrc3_get_blocks reply (DIDL bytes, binary or hex).",
                "With --icp: ICP blocks in hex, one per line, or the query_encoded_blocks reply (binary, hex, or as dfx "
                        + "prints it).",
                "Exit status 0 when the chain holds, 1 when it breaks, 2 when the input is unreadable. "
                        + "See docs/forensic-cli.md."})
public final class VerifyBlocksCommand implements Callable<Integer> {
    private static final HexFormat HEX = HexFormat.of();

    @Parameters(paramLabel = "FILE", description = "The blocks; - for standard input.")
    String file;

    @Option(names = "--icp", description = "ICP ledger blocks (protobuf-encoded, chained by SHA-256 of the encoding).")
    boolean icp;

    @Option(names = "--start", paramLabel = "N", defaultValue = "0",
            description = "Index of the first block when the input does not give it (default ${DEFAULT-VALUE}).")
    long start;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = BlockInput.displayName(file);
        if (start < 0) {
            err.println("verify-blocks: --start must not be negative, got " + start);
            return 2;
        }
        Report report = new Report(out);
        try {
            byte[] data = BlockInput.readAll(file);
            if (icp) {
                BlockInput.Read<IcpBlock> in = BlockInput.readIcp(data, start);
                notes(err, name, in);
                verifyIcp(in, report);
            } else {
                BlockInput.Read<BlockInput.IcrcBlock> in = BlockInput.readIcrc(data, start);
                notes(err, name, in);
                verifyIcrc(in, report);
            }
        } catch (IOException e) {
            err.println("verify-blocks: cannot read " + name + ": " + e.getMessage());
            return 2;
        } catch (CandidException e) { // Candid text: the message starts with line:column
            err.println("verify-blocks: " + name + ":" + e.getMessage());
            return 2;
        } catch (BlockInput.BadInput e) {
            err.println("verify-blocks: " + name + ": " + e.getMessage());
            return 2;
        }
        if (report.count == 0) {
            err.println("verify-blocks: " + name + ": no blocks in the input");
            return 2;
        }
        out.println(report.summary());
        out.flush();
        return report.breaks == 0 ? 0 : 1;
    }

    private static void notes(PrintWriter err, String name, BlockInput.Read<?> in) {
        err.println("verify-blocks: " + name + ": " + in.blocks().size() + " blocks, read as " + in.form());
        in.notes().forEach(n -> err.println("verify-blocks: note: " + n));
    }

    private static void verifyIcrc(BlockInput.Read<BlockInput.IcrcBlock> in, Report report) {
        Icrc3Chain chain = null;
        for (BlockInput.IcrcBlock b : in.blocks()) {
            if (chain == null) {
                chain = b.index() == 0 ? new Icrc3Chain() : Icrc3Chain.trustingFirst(b.index());
                report.uncheckedParent = b.index() == 0 ? null : parentOf(b.block());
            }
            Optional<Icrc3Chain.Verdict> verdict = chain.accept(b.index(), b.block());
            if (verdict.isPresent()) {
                report.ok(b.index(), verdict.get().hash(), verdict.get().unknownType()
                        ? " (unknown block type \"" + ((Value.Text) ((Value.Map) b.block()).get("btype")).value() + "\")" : "");
            } else {
                HashChain.Break br = chain.lastBreak();
                report.broken(b.index(), ValueHash.hash(b.block()), br.reason(), br.expected(), br.actual());
                // Go on from this block, so that the rest of the chain is checked too.
                chain = Icrc3Chain.trustingFirst(b.index());
                if (chain.accept(b.index(), b.block()).isEmpty()) {
                    chain = Icrc3Chain.trustingFirst(b.index() + 1);
                }
            }
        }
    }

    private static String parentOf(Value block) {
        Value phash = block instanceof Value.Map m ? m.get("phash") : null;
        return phash instanceof Value.Blob b ? HEX.formatHex(b.bytes()) : "none";
    }

    private static void verifyIcp(BlockInput.Read<IcpBlock> in, Report report) {
        IcpChain chain = null;
        for (IcpBlock b : in.blocks()) {
            if (chain == null) {
                chain = b.index() == 0 ? new IcpChain() : IcpChain.trustingFirst(b.index());
                report.uncheckedParent = b.index() == 0 ? null : b.parentHash().map(HEX::formatHex).orElse("none");
            }
            Optional<HashChain.Break> br = chain.accept(b);
            if (br.isEmpty()) {
                report.ok(b.index(), b.hash(), "");
            } else {
                report.broken(b.index(), b.hash(), br.get().reason(), br.get().expected(), br.get().actual());
                chain = IcpChain.trustingFirst(b.index());
                chain.accept(b);
            }
        }
    }

    /** The lines printed per block, and what the summary needs. */
    private static final class Report {
        private final PrintWriter out;
        long first;
        long last;
        int count;
        int breaks;
        String firstBreak;
        /** The parent hash of the first block when that block is not block 0 (it cannot be checked), else null. */
        String uncheckedParent;

        Report(PrintWriter out) {
            this.out = out;
        }

        void ok(long index, byte[] hash, String remark) {
            seen(index);
            out.println(index + "\t" + HEX.formatHex(hash) + "\tok" + remark);
        }

        void broken(long index, byte[] hash, String reason, String expected, String actual) {
            seen(index);
            out.println(index + "\t" + HEX.formatHex(hash) + "\t" + reason + ": expected " + expected + ", got " + actual);
            if (breaks++ == 0) {
                firstBreak = "chain broken at block " + index + ": " + reason + " (expected " + expected + ", got " + actual + ")";
            }
        }

        private void seen(long index) {
            if (count++ == 0) {
                first = index;
            }
            last = index;
        }

        String summary() {
            StringBuilder s = new StringBuilder();
            if (breaks == 0) {
                s.append("verified ").append(count == 1 ? "1 block " + first : count + " blocks " + first + ".." + last)
                        .append(": chain holds");
            } else {
                s.append(firstBreak);
                if (breaks > 1) {
                    s.append("; ").append(breaks - 1).append(breaks == 2 ? " more break" : " more breaks").append(" above");
                }
            }
            if (uncheckedParent != null) {
                s.append("; the parent hash of block ").append(first).append(" (").append(uncheckedParent)
                        .append(") is not checked: block ").append(first - 1).append(" is not in the input");
            }
            return s.toString();
        }
    }
}
