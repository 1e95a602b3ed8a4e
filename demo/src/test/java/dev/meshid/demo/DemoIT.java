package dev.meshid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The whole demo, as a user runs it: real child processes (CA, two agents, two proxies) started from this JVM's
 * class path, real sockets, real openssl and curl. Every step must pass, and nothing may be left behind.
 */
class DemoIT {
    @Test
    void demo_everyStepPasses_exitsZero_andLeavesNothingBehind() {
        Launcher launcher = new Launcher(Launcher.ofRunningJvm(TestMeshidMain.class.getName()).java(),
                System.getProperty("java.class.path"), TestMeshidMain.class.getName());
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new DemoCommand(launcher)).setOut(new PrintWriter(text, true));

        int code = cl.execute();

        String output = text.toString();
        List<String> stepLines = output.lines().filter(l -> l.startsWith("[")).toList();
        assertThat(code).as(output).isZero();
        assertThat(stepLines).as(output).isNotEmpty().allMatch(l -> l.startsWith("[ok]"));
        assertThat(output).contains("GET /details/0 (allowed): 200 {\"id\":0,")
                .contains("POST /details/0 (denied: GET only): 403 RBAC: access denied")
                .contains("GET /ping (denied: /details/* only): 403 RBAC: access denied")
                .containsPattern("forced rotation .*: POST /debug/rotate: serial (\\w+) -> (?!\\1)(\\w+), details' proxy "
                        + "serves \\2; [1-9]\\d* requests during the rotation, 0 failed")
                .containsPattern("openssl verify -CAfile root-cert.pem -untrusted intermediates.pem -purpose sslclient "
                        + ".*leaf.pem: OK")
                .contains("spiffe://cluster.local/ns/default/sa/bookinfo-productpage")
                .contains("all " + stepLines.size() + " steps passed");
        Matcher dir = Pattern.compile("work directory (\\S+) \\(removed on exit\\)").matcher(output);
        assertThat(dir.find()).as(output).isTrue();
        assertThat(Files.exists(Path.of(dir.group(1)))).as("work directory removed").isFalse();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList())
                .as("child processes left running").isEmpty();
    }

    @Test
    void demo_withASelfSignedCa_everyStepPasses() {
        Launcher launcher = new Launcher(Launcher.ofRunningJvm(TestMeshidMain.class.getName()).java(),
                System.getProperty("java.class.path"), TestMeshidMain.class.getName());
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new DemoCommand(launcher)).setOut(new PrintWriter(text, true));

        int code = cl.execute("--self-signed");

        String output = text.toString();
        assertThat(code).as(output).isZero();
        assertThat(output.lines().filter(l -> l.startsWith("["))).as(output).allMatch(l -> l.startsWith("[ok]"));
        assertThat(output).doesNotContain("'meshid certs root-ca'").contains("[ok]   CA's self-signed root")
                .containsPattern("openssl verify -CAfile root-cert.pem -purpose sslclient .*leaf.pem: OK")
                .contains("0 failed").doesNotContain("[FAIL]");
    }
}
