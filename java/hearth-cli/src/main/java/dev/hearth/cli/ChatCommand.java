package dev.hearth.cli;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth chat: a conversation with the model's chat template, interactive or one-shot. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with a model using its chat template.",
                "With a MESSAGE, answers it and exits; without, reads messages from stdin (/reset clears the"
                        + " history, /exit or end of input quits)."})
final class ChatCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--system", description = "system prompt")
    String system;

    @Parameters(arity = "0..1", paramLabel = "MESSAGE", description = "one message to answer, then exit")
    String message;

    @Override
    public Integer call() throws IOException {
        try (LlamaModel model = options.load(); LlamaContext ctx = model.newContext(options.context())) {
            List<ChatMessage> history = new ArrayList<>();
            resetHistory(history);
            if (message != null) {
                answer(model, ctx, history, message);
                return 0;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            boolean interactive = System.console() != null;
            while (true) {
                if (interactive) {
                    System.out.print("> ");
                    System.out.flush();
                }
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    return 0;
                }
                if (line.strip().equals("/reset")) {
                    resetHistory(history);
                    continue;
                }
                if (!line.isBlank()) {
                    answer(model, ctx, history, line);
                }
            }
        }
    }

    private void resetHistory(List<ChatMessage> history) {
        history.clear();
        if (system != null) {
            history.add(ChatMessage.system(system));
        }
    }

    private void answer(LlamaModel model, LlamaContext ctx, List<ChatMessage> history, String text) {
        history.add(ChatMessage.user(text));
        String prompt = model.applyChatTemplate(history, true);
        PrintStream out = System.out;
        GenerationParams params = options.generation().withAddSpecial(true);
        try {
            GenerationResult result = ctx.generate(prompt, params, piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            history.add(ChatMessage.assistant(result.text()));
            Stats.print(result);
        } catch (ContextOverflowException e) {
            history.remove(history.size() - 1);
            System.err.println("hearth: " + e.getMessage() + " (type /reset to clear the history)");
        }
    }
}
