package dev.hearth.cli;

import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** hearth generate: complete a raw prompt, streaming to stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Complete a prompt (no chat template), streaming the text to stdout.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Parameters(paramLabel = "PROMPT", description = "the text to complete")
    String prompt;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try (LlamaModel model = options.load(); LlamaContext ctx = model.newContext(options.context())) {
            GenerationResult result = ctx.generate(prompt, options.generation(), text -> {
                out.print(text);
                out.flush();
            });
            out.println();
            Stats.print(result);
        }
        return 0;
    }
}
