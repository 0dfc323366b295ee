package dev.hearth.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's main class in a JVM of its own: for what one process can do only once (load another natives
 * directory) or must survive (a native crash). The child has this JVM's class path, native access and one processor;
 * it is killed at its deadline, so a hang fails the test instead of the build.
 */
public final class ChildJvm {
    /** What the child left behind: its exit status and everything it printed (stdout and stderr together). */
    public record Outcome(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    /** Runs {@code main} with this process's environment plus {@code environment}. */
    public static Outcome run(Class<?> main, Map<String, String> environment, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        return launch(main, environment, null, timeoutSeconds, args);
    }

    /**
     * Runs {@code main} with {@code environment} alone, plus the variables of this process named in {@code kept}
     * (those that find the JDK and the natives): a child that must not see the caller's settings.
     */
    public static Outcome runClean(Class<?> main, Map<String, String> environment, List<String> kept,
            long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return launch(main, environment, kept, timeoutSeconds, args);
    }

    /**
     * Starts {@code main} with {@code environment} alone plus the variables of this process named in {@code kept}, its
     * output going to {@code log}, and returns at once: for a child that serves until the test stops it (with
     * {@link Process#destroyForcibly()}, a real SIGKILL, or {@link Process#destroy()}, a SIGTERM). {@code heapMegabytes}
     * bounds its heap.
     */
    public static Process spawn(Class<?> main, Map<String, String> environment, List<String> kept, Path log,
            int heapMegabytes, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED",
                "-XX:ActiveProcessorCount=1", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx" + heapMegabytes + "m",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        environment(builder, environment, kept);
        return builder.start();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    // {@code environment} plus, when {@code kept} is not null, only those of this process's variables
    private static void environment(ProcessBuilder builder, Map<String, String> environment, List<String> kept) {
        if (kept != null) {
            builder.environment().clear();
            for (String name : kept) {
                String value = System.getenv(name);
                if (value != null) {
                    builder.environment().put(name, value);
                }
            }
        }
        builder.environment().putAll(environment);
    }

    private static Outcome launch(Class<?> main, Map<String, String> environment, List<String> kept,
            long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED",
                "-XX:ActiveProcessorCount=1", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("hearth-child", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            environment(builder, environment, kept);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(main.getSimpleName() + " did not finish within " + timeoutSeconds
                        + " s; it printed:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
