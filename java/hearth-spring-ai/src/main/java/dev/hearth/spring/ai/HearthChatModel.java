package dev.hearth.spring.ai;

import dev.hearth.api.CallCancelledException;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.router.FallbackChain;
import dev.hearth.runtime.CallOptions;
import dev.hearth.runtime.Hearth;
import java.time.Duration;
import java.util.Objects;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/**
 * Spring AI's {@link ChatModel} over Hearth's front door: every call is routed, guarded (privacy, budgets, health),
 * recorded in the ledger as a {@code spring_ai} call and answered by whichever model the router chose or the options
 * named, local or remote. Tools come from Spring AI's tool callbacks; {@code ChatClient} runs them and asks again with
 * their results. A JSON schema set by {@code entity(.., spec -> spec.useProviderStructuredOutput())} is enforced by a
 * local model's grammar and checked on every answer. Thread-safe.
 */
public final class HearthChatModel implements ChatModel {
    /** Told of every answered call (the auto-configuration's meters listen), on the caller's thread. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (answer, took) -> { };

        void answered(FallbackChain.Routed answer, Duration took);
    }

    private final Hearth hearth;
    private final HearthChatOptions defaults;
    private final Listener listener;

    public HearthChatModel(Hearth hearth, HearthChatOptions defaults, Listener listener) {
        this.hearth = Objects.requireNonNull(hearth, "hearth");
        this.defaults = defaults == null ? HearthChatOptions.builder().model("auto").build() : defaults;
        this.listener = listener == null ? Listener.NONE : listener;
    }

    /** With the router deciding ({@code auto}) and no listener. */
    public HearthChatModel(Hearth hearth) {
        this(hearth, null, null);
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        return SpringAiMessages.response(run(SpringAiMessages.request(prompt, defaults), null));
    }

    /**
     * The answer as it is generated: one response per piece of visible text, then one with no text that carries the
     * tool calls, why the model stopped, the usage and who answered. Cancelling the subscription interrupts the call.
     */
    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        return Flux.create(emitter -> {
            ChatRequest request;
            try {
                request = SpringAiMessages.request(prompt, defaults);
            } catch (RuntimeException e) {
                emitter.error(e);
                return;
            }
            Thread worker = Thread.ofVirtual().name("hearth-spring-ai-stream").start(() -> {
                try {
                    FallbackChain.Routed r = run(request, delta -> {
                        if (!delta.isEmpty()) {
                            emitter.next(SpringAiMessages.delta(delta));
                        }
                    });
                    emitter.next(SpringAiMessages.last(r));
                    emitter.complete();
                } catch (RuntimeException | Error e) {
                    emitter.error(e);
                }
            });
            emitter.onCancel(worker::interrupt);
        });
    }

    @Override
    public ChatOptions getOptions() {
        return defaults.mutate().build();
    }

    private FallbackChain.Routed run(ChatRequest asked, ChatSink sink) {
        long start = System.nanoTime();
        // a model the prompt names (a cache name, a file, PROVIDER:MODEL) is resolved as every face resolves it
        ChatRequest request = asked.withModel(hearth.use(asked.model()));
        try {
            FallbackChain.Routed r = hearth.stream(request, hearth.explain(request), sink, EntryPoint.SPRING_AI,
                    Caller.ANONYMOUS, CallOptions.DEFAULT);
            listener.answered(r, Duration.ofNanos(System.nanoTime() - start));
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallCancelledException("the call was interrupted before it answered", e);
        }
    }
}
