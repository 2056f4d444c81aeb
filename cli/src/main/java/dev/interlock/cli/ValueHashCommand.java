package dev.interlock.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

import dev.interlock.ic.Value;
import dev.interlock.ic.ValueHash;
import dev.interlock.ic.candid.CandidException;
import dev.interlock.ic.candid.CandidText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code value-hash}: the ICRC-3 hash of Values written in Candid text (docs/forensic-cli.md). */
@Command(name = "value-hash", mixinStandardHelpOptions = true,
        description = {"Prints the ICRC-3 hash (lowercase hex) of each ICRC-3 Value in FILE, one per line.",
                "Values are written in Candid text as dfx and icp print them, one after the other (blank lines, "
                        + "// comments and dfx's parentheses are fine), e.g.",
                "  variant { Map = vec { record { \"amt\"; variant { Nat = 42 : nat } } } }",
                "Exit status 2 when the input is unreadable; the message names the line and column. "
                        + "See docs/forensic-cli.md."})
public final class ValueHashCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", defaultValue = "-",
            description = "Values in Candid text; - or absent: standard input.")
    String file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = BlockInput.displayName(file);
        List<Value> values;
        try {
            values = BlockInput.values(CandidText.parse(BlockInput.utf8(BlockInput.readAll(file))));
        } catch (IOException e) {
            err.println("value-hash: cannot read " + name + ": " + e.getMessage());
            return 2;
        } catch (CandidException e) {
            err.println("value-hash: " + name + ":" + e.getMessage());
            return 2;
        } catch (BlockInput.BadInput e) {
            err.println("value-hash: " + name + ": " + e.getMessage());
            return 2;
        }
        if (values.isEmpty()) {
            err.println("value-hash: " + name + ": no value in the input");
            return 2;
        }
        for (Value v : values) {
            out.println(HexFormat.of().formatHex(ValueHash.hash(v)));
        }
        out.flush();
        return 0;
    }
}
