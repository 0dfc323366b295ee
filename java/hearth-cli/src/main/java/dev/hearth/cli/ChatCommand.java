package dev.hearth.cli;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.ChatResult;
import dev.hearth.llama.ToolChoice;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.LlamaModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * hearth chat: a conversation with the model's chat template, interactive or one-shot, through the model's
 * engine (each turn reuses the cached prefix of the conversation).
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with a model using its chat template.",
                "With a MESSAGE, answers it and exits; without, reads messages from stdin (/reset clears the"
                        + " history, /ps shows the local models loaded through the router, /exit or end of input"
                        + " quits)."})
final class ChatCommand implements Callable<Integer>, TakesEnvironment {
    @Mixin
    ModelOptions options;

    @Option(names = "--system", description = "system prompt")
    String system;

    @Parameters(arity = "0..1", paramLabel = "MESSAGE", description = "one message to answer, then exit")
    String message;

    @Option(names = "--json-schema", paramLabel = "FILE", description = "a JSON schema the answers must follow")
    java.nio.file.Path jsonSchema;

    @Option(names = "--tools", paramLabel = "FILE",
            description = "tools the model may call: a JSON array in OpenAI's format; calls are printed as JSON")
    java.nio.file.Path tools;

    @Option(names = "--tool-choice", description = "auto, required or none (default: ${DEFAULT-VALUE})")
    String toolChoice = "auto";

    @Option(names = "--template", paramLabel = "FILE", description = "a Jinja chat template to use instead of the model's")
    java.nio.file.Path template;

    @Option(names = "--no-reasoning", description = "turn thinking off for models that think out loud")
    boolean noReasoning;

    /** Where settings come from (see {@link TakesEnvironment}). */
    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if ("auto".equals(options.model) || (options.model == null && env.containsKey("LLM_STRATEGY"))) {
            try (RoutedChat routed = new RoutedChat(env)) {
                return conversation(routed::answer, 1024, routed::printLoaded);
            }
        }
        int cores = options.threads == null ? Runtime.getRuntime().availableProcessors() : options.threads;
        try (OnnxChat onnx = OnnxChat.of(options.model, cores)) {
            if (onnx != null) {
                return conversation(onnx::answer, 512, null);
            }
        }
        RemoteChat remote = RemoteChat.of(options.model, env);
        if (remote != null) {
            return conversation(remote::answer, 4096, null);
        }
        try (LlamaModel model = options.load(); LlamaEngine ctx = LlamaEngine.start(model, options.engine(model))) {
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

    /** Answers one turn of a conversation somewhere other than a local model file; null when it failed. */
    @FunctionalInterface
    interface Turn {
        dev.hearth.api.ChatResponse answer(dev.hearth.api.ChatRequest request) throws InterruptedException;
    }

    /** Prints what this session has loaded (/ps). */
    @FunctionalInterface
    interface Status {
        void print() throws InterruptedException;
    }

    /** The request for the conversation so far, with this command's options (model "auto": the turn sets it). */
    private dev.hearth.api.ChatRequest request(List<ChatMessage> history, List<dev.hearth.api.Tool> toolList, String schema,
            int defaultMaxTokens) {
        var request = dev.hearth.api.ChatRequest.of("auto", history)
                .withMaxTokens(options.maxTokens == null ? defaultMaxTokens : options.maxTokens).withStop(options.stops)
                .withTemperature(options.temperature == null ? null : (double) options.temperature);
        if (!toolList.isEmpty()) {
            request = request.withTools(toolList, switch (toolChoice.toLowerCase(java.util.Locale.ROOT)) {
                case "required" -> dev.hearth.api.ToolChoice.REQUIRED;
                case "none" -> dev.hearth.api.ToolChoice.NONE;
                default -> dev.hearth.api.ToolChoice.AUTO;
            });
        }
        if (schema != null) {
            request = request.withResponseFormat(dev.hearth.api.ResponseFormat.jsonSchema("answer", schema, true));
        }
        return noReasoning ? request.withThinking(dev.hearth.api.Thinking.OFF) : request;
    }

    /** The conversation loop for a remote vendor or the router. */
    private int conversation(Turn remote, int defaultMaxTokens, Status ps) throws IOException, InterruptedException {
        List<ChatMessage> history = new ArrayList<>();
        resetHistory(history);
        List<dev.hearth.api.Tool> toolList = tools == null ? List.of() : ToolsFile.read(tools);
        String schema = jsonSchema == null ? null : java.nio.file.Files.readString(jsonSchema);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean interactive = message == null && System.console() != null;
        for (String line = message; ; line = null) {
            if (line == null) {
                if (message != null) {
                    return 0;
                }
                if (interactive) {
                    System.out.print("> ");
                    System.out.flush();
                }
                line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    return 0;
                }
                if (line.strip().equals("/ps") && ps != null) {
                    ps.print();
                    continue;
                }
                if (line.strip().equals("/reset")) {
                    resetHistory(history);
                    continue;
                }
            }
            if (line.isBlank()) {
                continue;
            }
            history.add(ChatMessage.user(line));
            dev.hearth.api.ChatResponse r = remote.answer(request(history, toolList, schema, defaultMaxTokens));
            if (r == null) {
                history.removeLast();
                if (message != null) {
                    return 1;
                }
            } else {
                history.add(r.toMessage());
            }
        }
    }

    private void resetHistory(List<ChatMessage> history) {
        history.clear();
        if (system != null) {
            history.add(ChatMessage.system(system));
        }
    }

    private ChatOptions chatOptions() throws IOException {
        ChatOptions chat = ChatOptions.defaults().withGeneration(options.generation()).withReasoning(!noReasoning);
        if (jsonSchema != null) {
            chat = chat.withJsonSchema(java.nio.file.Files.readString(jsonSchema));
        }
        if (template != null) {
            chat = chat.withTemplateOverride(java.nio.file.Files.readString(template));
        }
        if (tools != null) {
            chat = chat.withTools(ToolsFile.read(tools), ToolChoice.valueOf(toolChoice.toUpperCase(java.util.Locale.ROOT)));
        }
        return chat;
    }

    private void answer(LlamaModel model, LlamaEngine ctx, List<ChatMessage> history, String text)
            throws IOException, InterruptedException {
        history.add(ChatMessage.user(text));
        PrintStream out = System.out;
        try {
            ChatResult result = ctx.chat(history, chatOptions(), new ConsoleSink(), null);
            out.println();
            if (!result.toolCalls().isEmpty()) {
                out.println(ToolsFile.callsAsJson(result.toolCalls()));
            }
            history.add(result.toMessage());
            Stats.print(result.generation());
        } catch (ContextOverflowException e) {
            history.remove(history.size() - 1);
            System.err.println("hearth: " + e.getMessage() + " (type /reset to clear the history)");
        }
    }
}
