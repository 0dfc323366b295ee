package dev.hearth.llama.engine;

import dev.hearth.api.Capabilities;
import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.DraftTokens;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.StopReason;
import dev.hearth.api.Thinking;
import dev.hearth.api.Usage;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.ChatResult;
import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.Speculation;
import java.util.Locale;

/**
 * A local model behind the same {@link ChatBackend} interface as the remote vendors: requests go through its
 * {@link LlamaEngine} (batched with the others, the conversation's prefix reused), with the model's own chat template.
 * The edge between Hearth's vocabulary and llama's: a request becomes {@link ChatOptions} here, and llama's
 * {@link FinishReason} becomes a {@link StopReason} here, nowhere else.
 */
public final class LlamaChatBackend implements ChatBackend {
    private final String name;
    private final LlamaEngine engine;
    private final int contextSize;
    private final java.util.function.UnaryOperator<ChatOptions> tuning;
    private final Speculation speculation;

    public LlamaChatBackend(String name, LlamaEngine engine) {
        this(name, engine, o -> o);
    }

    /** With {@code tuning} applied to the options each request asks for (a template, sampling the request lacks). */
    public LlamaChatBackend(String name, LlamaEngine engine, java.util.function.UnaryOperator<ChatOptions> tuning) {
        this(name, engine, tuning, GenerationParams.defaults().speculation());
    }

    /** As above, with {@code speculation} for the requests that do not say ({@link ChatRequest#speculation} null). */
    public LlamaChatBackend(String name, LlamaEngine engine, java.util.function.UnaryOperator<ChatOptions> tuning,
            Speculation speculation) {
        this.name = name;
        this.engine = engine;
        this.contextSize = engine.slotContextSize();
        this.tuning = java.util.Objects.requireNonNull(tuning, "tuning");
        this.speculation = java.util.Objects.requireNonNull(speculation, "speculation");
    }

    @Override
    public String name() {
        return "local:" + name;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, false, true, contextSize);
    }

    @Override
    public ChatResponse stream(ChatRequest request, ChatSink sink) throws InterruptedException {
        ChatResult r = engine.chat(request.messages(), tuning.apply(options(request, speculation)), sink, null);
        for (var call : r.toolCalls()) {
            sink.onToolCall(call);
        }
        GenerationResult g = r.generation();
        StopReason stop = stopReason(g.finishReason(), !r.toolCalls().isEmpty());
        Usage usage = new Usage(g.promptTokens(), g.generatedTokens(), 0, 0, 0);
        return new ChatResponse("", name, r.content(), r.reasoning(), "", r.toolCalls(), stop,
                g.finishReason().name().toLowerCase(Locale.ROOT), usage,
                new DraftTokens(g.draftedTokens(), g.acceptedDraftTokens()));
    }

    /**
     * Why a local answer stopped, in Hearth's vocabulary. An answer that called tools stopped for them, whatever ended
     * its generation; the reasons only a local generation has take the nearest common one (a full context is a token
     * limit, a passed deadline a cancellation, the nesting limit OTHER), and the response's raw reason keeps llama's.
     */
    static StopReason stopReason(FinishReason reason, boolean calledTools) {
        if (calledTools) {
            return StopReason.TOOL_USE;
        }
        return switch (reason) {
            case END_OF_GENERATION -> StopReason.END_TURN;
            case STOP_SEQUENCE -> StopReason.STOP_SEQUENCE;
            case MAX_TOKENS, CONTEXT_FULL -> StopReason.MAX_TOKENS;
            case CANCELLED, DEADLINE -> StopReason.CANCELLED;
            case NESTING_LIMIT -> StopReason.OTHER;
        };
    }

    /**
     * A client's seed (any 64-bit integer, as OpenAI takes) as the dist sampler's 32-bit one: folded into 0 ..
     * 4294967294, since 4294967295 is llama's "pick a random seed".
     */
    static long localSeed(long seed) {
        return Math.floorMod(seed, 0xFFFFFFFFL);
    }

    /** A request as llama's options; its tool choice is Hearth's own type (ChatOptions narrows a named one). */
    public static ChatOptions options(ChatRequest r) {
        return options(r, GenerationParams.defaults().speculation());
    }

    /** As {@link #options(ChatRequest)}, speculating as {@code modelDefault} says where the request does not. */
    static ChatOptions options(ChatRequest r, Speculation modelDefault) {
        SamplingParams sampling = SamplingParams.defaults();
        if (r.temperature() != null) {
            sampling = r.temperature() == 0 ? SamplingParams.greedy() : sampling.withTemperature(r.temperature().floatValue());
        }
        if (r.topP() != null) {
            sampling = sampling.withTopP(r.topP().floatValue());
        }
        if (r.seed() != null) {
            sampling = sampling.withSeed(localSeed(r.seed()));
        }
        ChatOptions o = ChatOptions.defaults().withGeneration(GenerationParams.defaults().withMaxTokens(r.maxTokens())
                .withStopSequences(r.stop()).withSampling(sampling).withSpeculation(r.speculation() == null
                        ? modelDefault : Speculation.of(r.speculation())))
                .withReasoning(r.thinking().mode() != Thinking.Mode.OFF);
        if (!r.tools().isEmpty()) {
            o = o.withTools(r.tools(), r.toolChoice());
        }
        return switch (r.responseFormat()) {
            case ResponseFormat.Text t -> o;
            case ResponseFormat.JsonObject j -> o.withJsonSchema("{\"type\": \"object\"}");
            case ResponseFormat.JsonSchema s -> o.withJsonSchema(s.schema(), s.lenient());
        };
    }
}
