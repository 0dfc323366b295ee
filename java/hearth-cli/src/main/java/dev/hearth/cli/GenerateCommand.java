package dev.hearth.cli;

import dev.hearth.api.spi.Completion;
import dev.hearth.api.spi.CompletionRequest;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth generate: complete a raw prompt with a local model leased from the runtime's host, streaming to stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Complete a prompt (no chat template) with a local GGUF model, streaming the text to stdout.")
final class GenerateCommand implements Callable<Integer>, TakesEnvironment {
    @Mixin
    ModelOptions options;

    @Parameters(paramLabel = "PROMPT", description = "the text to complete")
    String prompt;

    @Option(names = "--json-schema", paramLabel = "FILE", description = "a JSON schema the output must follow")
    java.nio.file.Path jsonSchema;

    @Option(names = "--grammar", paramLabel = "FILE", description = "a GBNF grammar the output must follow")
    java.nio.file.Path grammar;

    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws java.io.IOException, InterruptedException {
        PrintStream out = System.out;
        options.check();
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("the PROMPT is empty; give the text to complete");
        }
        CompletionRequest params = options.completion(
                jsonSchema == null ? null : InputFile.text(jsonSchema, "--json-schema"),
                grammar == null ? null : InputFile.text(grammar, "--grammar"));
        try (Answers answers = new Answers(options.settings(env))) {
            String model = answers.use(options.spec(), options.local(null));
            Completion result = answers.hearth().complete(model, prompt, params, text -> {
                out.print(text);
                out.flush();
            });
            out.println();
            Stats.print(result);
        }
        return 0;
    }
}
