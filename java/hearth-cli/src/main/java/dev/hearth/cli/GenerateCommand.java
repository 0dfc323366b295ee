package dev.hearth.cli;

import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.engine.EngineResult;
import dev.hearth.llama.Grammar;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.LlamaModel;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth generate: complete a raw prompt through the model's engine, streaming to stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Complete a prompt (no chat template), streaming the text to stdout.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Parameters(paramLabel = "PROMPT", description = "the text to complete")
    String prompt;

    @Option(names = "--json-schema", paramLabel = "FILE", description = "a JSON schema the output must follow")
    java.nio.file.Path jsonSchema;

    @Option(names = "--grammar", paramLabel = "FILE", description = "a GBNF grammar the output must follow")
    java.nio.file.Path grammar;

    @Override
    public Integer call() throws java.io.IOException, InterruptedException {
        PrintStream out = System.out;
        try (LlamaModel model = options.load();
             LlamaEngine engine = LlamaEngine.start(model, options.engine(model))) {
            GenerationParams params = options.generation();
            if (jsonSchema != null) {
                params = params.withJsonSchema(java.nio.file.Files.readString(jsonSchema));
            } else if (grammar != null) {
                params = params.withGrammar(Grammar.gbnf(java.nio.file.Files.readString(grammar)));
            }
            EngineResult result = engine.submit(prompt, params, text -> {
                out.print(text);
                out.flush();
            }).result();
            out.println();
            Stats.print(result);
        }
        return 0;
    }
}
