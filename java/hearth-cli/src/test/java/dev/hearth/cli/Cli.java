package dev.hearth.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs the CLI in this JVM, capturing stdout and stderr, with exactly the environment a test gives it (built with
 * {@link dev.hearth.testkit.CleanEnvironment}): the CLI reads every setting from that map, so what the caller of the
 * build has set (LLM_STRATEGY, API keys, MODEL_CACHE_DIR, ...) cannot reach a test. {@code HostileEnvironmentTest}
 * checks that in a JVM whose own environment is set against it.
 */
final class Cli {
    private Cli() {
    }

    record Outcome(int code, String out, String err) {
    }

    static synchronized Outcome run(Map<String, String> env, String... args) {
        return withInput(env, null, args);
    }

    /** With {@code stdin} as standard input (null: the JVM's). */
    static synchronized Outcome withInput(Map<String, String> env, String stdin, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            }
            int code = HearthCli.run(env, args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }
}
