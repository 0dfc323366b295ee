package dev.hearth.cli;

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
        options.check();
        try (Answers answers = new Answers(options.settings(env))) {
            var facts = answers.hearth().describe(answers.use(options.spec(), options.local(null)));
            facts.forEach((name, value) -> System.out.printf("%-13s %s%n", name + ":", value));
        }
        return 0;
    }
}
