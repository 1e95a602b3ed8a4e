package dev.meshid.ca.rotate;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** Runs one step: read the store, compute the new files, write them whole; refusals end with exit code 1. */
final class StepRunner {
    interface Step {
        Map<String, String> next(Map<String, String> current) throws RotationRefused, IOException;
    }

    private StepRunner() {
    }

    static int run(CommandSpec spec, StoreOptions where, java.time.Clock clock, Step step, String done) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = "meshid ca rotate " + spec.name();
        try (StoreOptions.Opened opened = where.open(clock)) {
            Map<String, String> current = opened.store().read();
            Map<String, String> next = step.next(current);
            opened.store().replace(current, next);
            out.println(done + " (" + opened.store().describe() + ")");
            return RotateCommand.OK;
        } catch (RotationRefused e) {
            err.println(name + ": refused: " + e.getMessage());
            return RotateCommand.REFUSED;
        } catch (IOException | RuntimeException e) {
            err.println(name + ": " + e.getMessage());
            return RotateCommand.REFUSED;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
