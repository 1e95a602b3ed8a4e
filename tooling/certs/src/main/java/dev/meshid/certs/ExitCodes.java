package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * meshid's exit codes and error lines for any picocli command tree: 0 ok, 1 runtime failure, 2 usage or
 * configuration error. Each error is one line on stderr, prefixed with the command's name; no stack trace
 * unless the environment has {@code MESHID_DEBUG=1}.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }

    /** Installs the handlers on {@code cl} and every subcommand added so far; returns {@code cl}. */
    public static CommandLine install(CommandLine cl) {
        return install(cl, "1".equals(System.getenv("MESHID_DEBUG")));
    }

    /** As {@link #install(CommandLine)}, with the debug switch given explicitly. */
    public static CommandLine install(CommandLine cl, boolean debug) {
        cl.setParameterExceptionHandler(usageErrors(debug));
        cl.setExecutionExceptionHandler(failures(debug));
        return cl;
    }

    private static IParameterExceptionHandler usageErrors(boolean debug) {
        return (ParameterException e, String[] args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return USAGE;
        };
    }

    private static IExecutionExceptionHandler failures(boolean debug) {
        return (Exception e, CommandLine cmd, ParseResult parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + message(e));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return FAILURE;
        };
    }

    /** Expected failures carry a message written for the user; anything else is named by its class too. */
    static String message(Exception e) {
        String m = e.getMessage();
        if (e instanceof CertsFailure || e instanceof PkiException) {
            return m;
        }
        return "unexpected " + e.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                + " (run with MESHID_DEBUG=1 for details)";
    }
}
