package dev.hearth.cli;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Thinking;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * hearth chat: a conversation, interactive or one-shot, with whatever model the user names (or the router's choice),
 * every turn through the runtime's front door: routed, guarded, and printed the same way for every kind of model.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with a model using its chat template.",
                "With a MESSAGE, answers it and exits; without, reads messages from stdin (/reset clears the"
                        + " history, /ps shows the local models this session loaded, /exit or end of input quits).",
                "Every model goes through the router's guards: a remote model gets the conversation with credentials"
                        + " redacted or refused (HEARTH_PRIVACY), within the monthly budget."})
final class ChatCommand implements Callable<Integer>, TakesEnvironment {
    @Mixin
    ModelOptions options;

    @Option(names = "--system", description = "system prompt")
    String system;

    @Parameters(arity = "0..1", paramLabel = "MESSAGE", description = "one message to answer, then exit")
    String message;

    @Option(names = "--json-schema", paramLabel = "FILE", description = "a JSON schema the answers must follow"
            + " (every answer is validated; a keyword a local grammar cannot enforce is refused, naming where it is)")
    java.nio.file.Path jsonSchema;

    @Option(names = "--lenient-schema", description = "sample without the schema's keywords no grammar can enforce"
            + " (uniqueItems, not, if, ...); the answer is still validated, and one that fails is an error")
    boolean lenientSchema;

    @Option(names = "--tools", paramLabel = "FILE",
            description = "tools the model may call: a JSON array in OpenAI's format; calls are printed as JSON")
    java.nio.file.Path tools;

    @Option(names = "--tool-choice", description = "auto, required or none (default: ${DEFAULT-VALUE})")
    String toolChoice = "auto";

    @Option(names = "--template", paramLabel = "FILE", description = "a Jinja chat template to use instead of the model's")
    java.nio.file.Path template;

    @Option(names = "--no-reasoning", description = "turn thinking off for models that think out loud")
    boolean noReasoning;

    @Option(names = "--preset", description = "a preset for the router: fast, cheap, reliable or balanced (default:"
            + " HEARTH_PRESET, else none)")
    String preset;

    @Option(names = "--session", paramLabel = "ID", description = "a conversation id: the model that answers its first"
            + " turn under auto keeps answering it (a lock, released by /reset or after 30 idle minutes)")
    String session;

    @Option(names = "--cache", negatable = true, description = {"--cache: keep and reuse answers even when the request"
            + " is not deterministic; --no-cache: ask the model, not the response cache (its answer is kept)."
            + " Default: answers to deterministic requests (--temperature 0) are reused for HEARTH_CACHE_TTL_SECONDS"
            + " (an hour) unless HEARTH_CACHE=off."})
    Boolean cache;

    /** Where settings come from (see {@link TakesEnvironment}). */
    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        options.check();
        if (message != null && message.isBlank()) {
            throw new IllegalArgumentException("the MESSAGE is empty; write one, or leave it out to chat interactively");
        }
        ToolChoice choice = toolChoice(); // options first: nothing is loaded or sent for a mistyped one
        List<Tool> toolList = tools == null ? List.of() : ToolsFile.read(tools);
        String schema = jsonSchema == null ? null : InputFile.text(jsonSchema, "--json-schema");
        String templateText = template == null ? null : InputFile.text(template, "--template");
        try (Answers answers = new Answers(options.settings(env))) {
            String spec = options.model != null || !answers.hearth().strategyChosen() ? options.spec() : "auto";
            String model = answers.use(spec, options.local(templateText));
            return conversation(answers, model, toolList, choice, schema);
        }
    }

    /** The request for the conversation so far, to {@code model}, with this command's options. */
    private ToolChoice toolChoice() {
        return switch (toolChoice.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> ToolChoice.AUTO;
            case "required" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            default -> throw new IllegalArgumentException("--tool-choice must be auto, required or none, not \""
                    + toolChoice + "\"");
        };
    }

    private ChatRequest request(String model, List<ChatMessage> history, List<Tool> toolList, ToolChoice choice,
            String schema) {
        var request = ChatRequest.of(model, history).withMaxTokens(options.maxTokens).withStop(options.stops)
                .withTemperature(options.temperature == null ? null : (double) options.temperature)
                .withTopP(options.topP == null ? null : (double) options.topP);
        if (!toolList.isEmpty()) {
            request = request.withTools(toolList, choice);
        }
        if (schema != null) {
            request = request.withResponseFormat(new ResponseFormat.JsonSchema("answer", schema, true, lenientSchema));
        }
        return noReasoning ? request.withThinking(Thinking.OFF) : request;
    }

    /** The conversation loop, whatever the model: every turn goes through the runtime's one front door. */
    private int conversation(Answers answers, String model, List<Tool> toolList, ToolChoice choice, String schema)
            throws IOException, InterruptedException {
        List<ChatMessage> history = new ArrayList<>();
        resetHistory(history);
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
                if (line.strip().equals("/ps")) {
                    answers.printLoaded();
                    continue;
                }
                if (line.strip().equals("/reset")) {
                    resetHistory(history);
                    if (session != null && answers.hearth().releaseLock(session)) {
                        System.err.println("[session " + session + "'s model lock released]");
                    }
                    continue;
                }
            }
            if (line.isBlank()) {
                continue;
            }
            history.add(ChatMessage.user(line));
            ChatResponse r = answers.answer(request(model, history, toolList, choice, schema),
                    dev.hearth.runtime.CallOptions.cache(cacheMode()).withRoute(dev.hearth.router.RouteOptions
                            .defaults().withPreset(preset).withSession(session)));
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

    /** How this command's turns use the response cache: {@code --cache}, {@code --no-cache}, or neither. */
    private dev.hearth.runtime.CacheMode cacheMode() {
        return cache == null ? dev.hearth.runtime.CacheMode.DEFAULT : cache ? dev.hearth.runtime.CacheMode.OPT_IN
                : dev.hearth.runtime.CacheMode.BYPASS;
    }

    private void resetHistory(List<ChatMessage> history) {
        history.clear();
        if (system != null) {
            history.add(ChatMessage.system(system));
        }
    }
}
