package dev.hearth.cli;

import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.Natives;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** hearth info: what a model is and where the natives came from. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's shape and metadata.")
final class InfoCommand implements Callable<Integer>, TakesEnvironment {
    @Mixin
    ModelOptions options;

    private java.util.Map<String, String> env = java.util.Map.of();

    @Override
    public void environment(java.util.Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        java.nio.file.Path file;
        try (Answers answers = new Answers(options.settings(env))) {
            file = answers.hearth().location(answers.use(options.spec(), options.local(null)));
        }
        try (LlamaModel model = LlamaModel.load(file, dev.hearth.llama.ModelParams.defaults().withGpuLayers(0))) {
            System.out.println("file:         " + model.path());
            System.out.println("natives:      " + Natives.directory());
            System.out.println("description:  " + model.description());
            System.out.printf("parameters:   %,d (%,d bytes)%n", model.nParams(), model.size());
            System.out.printf("shape:        %d layers, width %d, %d heads (%d KV), vocabulary %d, trained context %d%n",
                    model.nLayer(), model.nEmbd(), model.nHead(), model.nHeadKv(), model.nVocab(), model.nCtxTrain());
            System.out.println("chat template: " + (model.chatTemplateSource().isPresent() ? "yes" : "none (ChatML fallback)"));
        }
        return 0;
    }
}
