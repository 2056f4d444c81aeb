package dev.interlock.cli;

import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The offline subcommands of {@code ./interlock}: they read and write files and never start a
 * server. {@code run} (the service) is handled by the launcher.
 */
@Command(name = "interlock", mixinStandardHelpOptions = true, version = "interlock 0.1.0",
        description = "Runtime monitoring and audit for Internet Computer canisters.",
        subcommands = {SimulateCommand.class, TraceCheckCommand.class, ScanCommand.class, ValueHashCommand.class,
                VerifyBlocksCommand.class, ImportCommand.class})
public final class InterlockCli implements Runnable {
    /** Subcommands that run without the service. */
    public static final Set<String> COMMANDS = Set.of("simulate", "trace-check", "scan", "value-hash", "verify-blocks",
            "import", "help", "--help", "-h", "--version", "-V");

    public static boolean handles(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new InterlockCli());
        if (args.length > 0 && args[0].equals("help")) {
            cl.usage(System.out);
            return 0;
        }
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String... args) {
        System.exit(execute(args));
    }
}
