package dev.hearth.langchain4j;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.router.FallbackChain;
import dev.hearth.runtime.Hearth;
import dev.langchain4j.exception.ModelNotFoundException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One LangChain4j request through Hearth's front door: its model spec resolved ({@link Hearth#use}), translated,
 * routed, guarded and run as a call of {@link EntryPoint#LANGCHAIN4J} by the options' caller, and answered as
 * LangChain4j's response. Failures come out as LangChain4j's exceptions ({@link Failures}). Thread-safe.
 */
final class FrontDoor {
    private final Hearth hearth;
    private final HearthChatOptions options;

    FrontDoor(Hearth hearth, HearthChatOptions options) {
        this.hearth = Objects.requireNonNull(hearth, "hearth");
        this.options = Objects.requireNonNull(options, "options");
    }

    HearthChatOptions options() {
        return options;
    }

    /** Runs {@code request}, its answer reaching {@code sink} as it is generated ({@code null}: in one piece). */
    dev.langchain4j.model.chat.response.ChatResponse call(dev.langchain4j.model.chat.request.ChatRequest request,
            ChatSink sink) {
        try {
            ChatRequest translated = Requests.of(request, resolve(request.modelName()));
            FallbackChain.Routed routed = hearth.stream(translated, hearth.explain(translated, options.call().route()),
                    sink, EntryPoint.LANGCHAIN4J, options.caller(), options.call());
            BigDecimal cost = hearth.cost(routed).orElse(null);
            return Responses.of(routed, cost);
        } catch (RuntimeException | InterruptedException e) {
            throw Failures.of(e);
        }
    }

    /** The model name a Hearth request carries for {@code spec} (none: the options' model), run as they say. */
    private String resolve(String spec) {
        String named = spec == null || spec.isBlank() ? options.model() : spec;
        try {
            return hearth.use(named, options.local());
        } catch (IllegalArgumentException unknown) {
            throw new ModelNotFoundException(unknown.getMessage(), unknown);
        }
    }
}
