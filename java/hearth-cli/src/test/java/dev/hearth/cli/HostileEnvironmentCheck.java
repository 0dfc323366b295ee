package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.testkit.CleanEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@link HostileEnvironmentTest} in a JVM of its own whose environment is set against the tests: runs CLI
 * commands the way the CLI tests do ({@link Cli} with a {@link CleanEnvironment}) and, as a control, the way they used
 * to (the process's environment), and writes what each printed to a JSON report. Arguments: a working directory and
 * the report's path.
 */
public final class HostileEnvironmentCheck {
    private HostileEnvironmentCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Map<String, String> clean = CleanEnvironment.in(work);
        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        report.put("processStrategy", String.valueOf(System.getenv("LLM_STRATEGY")));
        record(report, "route", Cli.run(clean, "route", "--explain", "--json", "--rules", "Hello"));
        record(report, "routeControl", Cli.run(System.getenv(), "route", "--explain", "--json", "--rules", "Hello"));
        record(report, "remoteChat", Cli.run(clean, "chat", "--model", "anthropic:claude-sonnet-4-6", "Hello"));
        record(report, "routedChat", Cli.run(clean, "chat", "--model", "auto", "--max-tokens", "4", "Hello"));
        record(report, "modelsList", Cli.run(clean, "models", "list"));
        record(report, "modelsListControl", Cli.run(System.getenv(), "models", "list"));
        record(report, "ps", Cli.run(clean, "ps"));
        record(report, "psControl", Cli.run(System.getenv(), "ps"));
        record(report, "info", Cli.run(clean, "info"));
        Files.writeString(Path.of(args[1]), json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        System.exit(0);
    }

    private static void record(ObjectNode report, String name, Cli.Outcome o) {
        report.putObject(name).put("code", o.code()).put("out", o.out()).put("err", o.err());
    }
}
