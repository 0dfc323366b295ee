package dev.hearth.cli;

import dev.hearth.api.HearthException;
import dev.hearth.api.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of bin/hearth. */
@Command(name = "hearth", mixinStandardHelpOptions = true, version = "hearth 0.1.0",
        description = "Local-first LLM host: run GGUF models in process through llama.cpp, or chat with Claude,"
                + " DeepSeek and OpenAI-compatible servers.",
        subcommands = {GenerateCommand.class, ChatCommand.class, InfoCommand.class, ModelsCommand.class,
                RouteCommand.class, PsCommand.class, EmbedCommand.class, TokenizeCommand.class, KeysCommand.class,
                BudgetsCommand.class, SpendCommand.class, TracesCommand.class, ServeCommand.class,
                TournamentCommand.class,
                CommandLine.HelpCommand.class})
public final class HearthCli {
    public static void main(String[] args) {
        System.exit(run(System.getenv(), args));
    }

    /**
     * Runs with an environment of its own: every setting the commands read (API keys, base URLs, LLM_STRATEGY,
     * MODEL_CACHE_DIR, HEARTH_RUN_DIR, HEARTH_MODEL, ...) comes from {@code env}, never from the process's; tests pass
     * one built from scratch.
     */
    static int run(java.util.Map<String, String> env, String... args) {
        java.util.Map<String, String> settings = java.util.Map.copyOf(env);
        CommandLine cli = new CommandLine(new HearthCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K made = CommandLine.defaultFactory().create(cls);
                if (made instanceof TakesEnvironment command) { // commands, and their option groups (mixins)
                    command.environment(settings);
                }
                return made;
            }
        });
        cli.setExpandAtFiles(false); // a prompt that starts with @ is a prompt, not a file to read
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof HearthException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException || e instanceof java.io.IOException
                    || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println("hearth: " + Secrets.redact(e.getMessage()));
                return e instanceof IllegalArgumentException ? 2 : 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
