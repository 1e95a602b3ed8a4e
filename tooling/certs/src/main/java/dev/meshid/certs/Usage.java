package dev.meshid.certs;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Usage and configuration errors: they end the command with exit code 2 and one line naming the setting,
 * the value given and what would be valid.
 */
final class Usage {
    private Usage() {
    }

    /** {@code --days: invalid value "0"; must be a whole number of days above 0}. */
    static ParameterException invalid(CommandSpec spec, String setting, Object value, String valid) {
        return new ParameterException(spec.commandLine(),
                setting + ": invalid value \"" + value + "\"; " + valid);
    }

    /** A usage error with a message written by the caller (it must still name the setting). */
    static ParameterException error(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Days must be above zero; returns them. */
    static int positiveDays(CommandSpec spec, String setting, int days) {
        if (days <= 0) {
            throw invalid(spec, setting, days, "must be a whole number of days above 0");
        }
        return days;
    }
}
