package dev.meshid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepRunnerTest {
    @TempDir
    Path dir;

    private final StringWriter text = new StringWriter();
    private final StepRunner steps = new StepRunner(new PrintWriter(text, true));

    @Test
    void allStepsPassing_exitZero_andOneOkLinePerStep() {
        steps.run("first", List.of(), () -> Observation.pass("200 body"));
        steps.run("second", List.of(), () -> Observation.pass("403 RBAC: access denied"));

        assertThat(steps.exitCode()).isZero();
        assertThat(text.toString().lines().toList()).hasSize(2)
                .allMatch(l -> l.startsWith("[ok]"))
                .anyMatch(l -> l.contains("second: 403 RBAC: access denied"));
        assertThat(steps.summary()).isEqualTo("all 2 steps passed");
    }

    @Test
    void aFailingStep_exitNonZero_andTheSummaryNamesIt() {
        steps.run("GET allowed", List.of(), () -> Observation.pass("200"));
        steps.run("POST denied", List.of(), () -> Observation.fail("200 {\"app\":\"details\"}"));

        assertThat(steps.exitCode()).isNotZero();
        assertThat(text.toString()).contains("[FAIL] POST denied: 200 {\"app\":\"details\"}");
        assertThat(steps.summary()).isEqualTo("1 of 2 steps failed: POST denied");
    }

    @Test
    void aStepThatThrows_failsWithTheMessage() {
        steps.run("plaintext refused", List.of(), () -> {
            throw new IOException("connection reset");
        });

        assertThat(steps.exitCode()).isNotZero();
        assertThat(text.toString()).contains("[FAIL] plaintext refused: IOException: connection reset");
    }

    @Test
    void aFailingStep_showsTheLastLinesOfTheBlamedComponentsLog() throws Exception {
        Path log = dir.resolve("agent.log");
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Files.writeString(log, lines);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();

        steps.run("agent ready", List.of(new Child("agent/x", p, log)), () -> Observation.fail("exited with code 1"));

        assertThat(text.toString()).contains("last lines of agent/x").contains("| line 40")
                .contains("| line " + (41 - StepRunner.LOG_LINES)).doesNotContain("| line " + (40 - StepRunner.LOG_LINES) + "\n");
    }

    @Test
    void noStepsRun_isNotASuccess() {
        assertThat(steps.exitCode()).isNotZero();
    }
}
