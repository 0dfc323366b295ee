package dev.hearth.examples.lc4j;

import dev.hearth.langchain4j.HearthChatModel;
import dev.hearth.langchain4j.HearthChatOptions;
import dev.hearth.langchain4j.ToolTurns;
import dev.hearth.runtime.Hearth;
import dev.hearth.runtime.LocalOptions;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.service.AiServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A LangChain4j AI service with one tool, answered by a local GGUF model through Hearth: the model must call the tool
 * (tool choice REQUIRED on the first turn), the tool runs, its result goes back, and the model answers.
 *
 * <p>HEARTH_EXAMPLE_MODEL names the model (a GGUF file, or any model spec Hearth takes). HEARTH_EXAMPLE_TEMPLATE, when
 * set, is a chat template file to use instead of the model's own: for a model whose template has no tool-call format.
 */
public final class Main {
    enum City { OSLO, PARIS, LIMA }

    /** The tool: a weather forecast (made up), remembering what it was asked. */
    static final class Weather {
        final List<String> results = new CopyOnWriteArrayList<>();

        @Tool("The weather forecast for a city")
        String forecast(@P("the city") City city) {
            String result = "sunny in " + city;
            results.add(result);
            System.out.println("tool forecast(" + city + ") -> " + result);
            return result;
        }
    }

    interface Assistant {
        String chat(String message);
    }

    public static void main(String[] args) throws Exception {
        String model = System.getenv("HEARTH_EXAMPLE_MODEL");
        if (model == null || model.isBlank()) {
            System.err.println("set HEARTH_EXAMPLE_MODEL to a GGUF model file (or another Hearth model spec)");
            System.exit(2);
        }
        String templateFile = System.getenv("HEARTH_EXAMPLE_TEMPLATE");
        String template = templateFile == null || templateFile.isBlank() ? null
                : Files.readString(Path.of(templateFile));
        try (Hearth hearth = Hearth.fromEnvironment()) {
            HearthChatModel chatModel = new HearthChatModel(hearth, HearthChatOptions.defaults()
                    .withModel(model)
                    .withLocal(new LocalOptions(0, template, 40, 0, false))
                    .withParameters(ChatRequestParameters.builder().temperature(0.0).maxOutputTokens(512).build()));
            Weather weather = new Weather();
            Assistant assistant = AiServices.builder(Assistant.class)
                    .chatModel(chatModel)
                    .tools(weather)
                    .chatRequestTransformer(ToolTurns.requiredThenAnswer()) // call the tool first, then answer
                    .build();

            String answer = assistant.chat("What will the weather be in Oslo?");

            if (weather.results.isEmpty()) {
                System.err.println("the model did not call the tool: its chat template has no tool-call format;"
                        + " set HEARTH_EXAMPLE_TEMPLATE to a template that has one");
                System.exit(1);
            }
            System.out.println("tool result: " + weather.results.getFirst());
            System.out.println("answer: " + answer);
        }
    }
}
