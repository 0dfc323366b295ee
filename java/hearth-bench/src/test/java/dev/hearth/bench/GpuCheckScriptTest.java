package dev.hearth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** scripts/gpu-check.sh's parts that need no GPU: its syntax, its arguments, its steps, and its refusal without one. */
class GpuCheckScriptTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();
    private static final Path SCRIPT = ROOT.resolve("scripts/gpu-check.sh");

    private record Outcome(int code, String out) {
    }

    private static Outcome bash(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "bash";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(p.waitFor(), out);
    }

    @Test
    void theScriptParsesAndItsDryRunListsEveryStepInOrder() throws Exception {
        assertThat(Files.isRegularFile(SCRIPT)).as(SCRIPT.toString()).isTrue();
        assertThat(bash("-n", SCRIPT.toString()).code()).isZero();
        Outcome dry = bash(SCRIPT.toString(), "--dry-run", "--threads", "3");
        assertThat(dry.code()).as(dry.out()).isZero();
        assertThat(dry.out().lines().map(l -> l.substring(1, l.indexOf(']'))).distinct().toList())
                .containsExactly("natives", "build", "probe", "chat", "engine");
        assertThat(dry.out()).contains("install-natives.sh --cuda", "bench_java gpu --threads 3");
        Outcome only = bash(SCRIPT.toString(), "--dry-run", "--only", "probe,engine");
        assertThat(only.out().lines().toList()).hasSize(2).allMatch(l -> l.startsWith("[probe]")
                || l.startsWith("[engine]"));
    }

    @Test
    void badArgumentsAreRefusedSayingWhatToGive() throws Exception {
        Outcome step = bash(SCRIPT.toString(), "--only", "probe,warp");
        assertThat(step.code()).isNotZero();
        assertThat(step.out()).contains("unknown step 'warp'", "natives, build, probe, chat, engine");
        Outcome streams = bash(SCRIPT.toString(), "--streams", "1,four");
        assertThat(streams.code()).isNotZero();
        assertThat(streams.out()).contains("--streams needs stream counts separated by commas");
        Outcome option = bash(SCRIPT.toString(), "--gpus", "2");
        assertThat(option.code()).isNotZero();
        assertThat(option.out()).contains("unknown option --gpus");
    }

    @Test
    void withoutAnNvidiaGpuItFailsAtOnceSayingSo() throws Exception {
        assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/version")), "this machine has an NVIDIA driver");
        Outcome run = bash(SCRIPT.toString(), "--only", "natives");
        assertThat(run.code()).isNotZero();
        assertThat(run.out()).contains("no NVIDIA GPU here").doesNotContain("[natives]");
    }
}
