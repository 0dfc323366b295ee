package dev.hearth.llama;


import dev.hearth.api.ContextOverflowException;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * One generation in a context: prompt processing, then one step per token (sample, check for the end,
 * assemble text, decode the token). {@link #next()} returns the text of each step until it returns null.
 * Used by the context's owning thread only; the sampler is freed by {@link #close()}.
 */
final class Generation implements AutoCloseable {
    private final LlamaContext context;
    private final int[] prompt;
    private final GenerationParams params;
    private final Sampler sampler;
    private final TextAssembler text;
    private final MemorySegment vocab;
    private final java.util.Set<Integer> shownSpecial;
    private final Arena arena = Arena.ofConfined();
    private final Pieces pieces;
    private int pos;
    private int generated;
    private int[] tokens = new int[64];
    private boolean prefilled;
    private FinishReason finish;
    private boolean flushed;
    private long prefillStart, prefillEnd, decodeStart, decodeEnd;

    Generation(LlamaContext context, int[] prompt, GenerationParams params) {
        this(context, prompt, params, new int[0], java.util.Set.of());
    }

    /**
     * @param grammarPrefill  tokens of the grammar's text already in the prompt (see {@link Sampler})
     * @param shownSpecial    control tokens whose text is part of the output (a chat format's tool-call markers)
     */
    Generation(LlamaContext context, int[] prompt, GenerationParams params, int[] grammarPrefill,
            java.util.Set<Integer> shownSpecial) {
        this.context = context;
        this.prompt = prompt;
        this.params = params;
        LlamaModel model = context.model();
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: give at least one token");
        }
        for (int token : prompt) {
            model.checkToken(token);
        }
        if (prompt.length >= context.contextSize()) {
            throw new ContextOverflowException(prompt.length, context.contextSize());
        }
        this.vocab = model.vocab();
        this.shownSpecial = shownSpecial;
        this.pieces = new Pieces(vocab, arena);
        this.text = new TextAssembler(params.stopSequences());
        Sampler chain;
        try {
            chain = new Sampler(model, params.sampling(), params.grammar(), grammarPrefill);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        this.sampler = chain;
    }

    /** Text produced by the next step (possibly empty), or null once the generation is over. */
    String next() {
        context.requireOwner();
        if (finish != null) {
            if (flushed) {
                return null;
            }
            flushed = true;
            return text.finish();
        }
        if (!prefilled) {
            prefill();
            if (finish != null) {
                return "";
            }
        }
        return step();
    }

    private void prefill() {
        context.clearMemory();
        prefillStart = System.nanoTime();
        int batch = context.batchSize();
        for (int from = 0; from < prompt.length; from += batch) {
            int count = Math.min(batch, prompt.length - from);
            boolean last = from + count == prompt.length;
            if (context.decode(prompt, from, count, from, last, true) == Status.ABORTED || context.cancelRequested()) {
                end(FinishReason.CANCELLED);
                return;
            }
        }
        context.synchronize();
        pos = prompt.length;
        prefilled = true;
        prefillEnd = System.nanoTime();
    }

    private String step() {
        if (context.cancelRequested()) {
            end(FinishReason.CANCELLED);
            return "";
        }
        int token = sampler.sample(context.handle(), -1, text.pendingUtf8());
        if (generated == tokens.length) {
            tokens = java.util.Arrays.copyOf(tokens, generated * 2);
        }
        tokens[generated++] = token;
        if (generated == 1) {
            decodeStart = System.nanoTime();
        }
        if (!params.ignoreEog() && isEndOfGeneration(token)) {
            end(FinishReason.END_OF_GENERATION);
            return "";
        }
        int length = pieces.of(token, !shownSpecial.isEmpty() && shownSpecial.contains(token));
        String out = text.add(pieces.bytes(), length);
        if (text.stopped()) {
            end(FinishReason.STOP_SEQUENCE);
        } else if (generated >= params.maxTokens()) {
            end(FinishReason.MAX_TOKENS);
        } else if (pos >= context.contextSize()) {
            end(FinishReason.CONTEXT_FULL);
        } else if (context.decodeOne(token, pos++) == Status.ABORTED) {
            end(FinishReason.CANCELLED);
        }
        return out;
    }

    private boolean isEndOfGeneration(int token) {
        try {
            return (boolean) LlamaC.llama_vocab_is_eog.invokeExact(vocab, token);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    private void end(FinishReason reason) {
        if (finish == null) {
            finish = reason;
            decodeEnd = System.nanoTime();
        }
    }

    GenerationResult result() {
        if (finish == null) {
            throw new IllegalStateException("the generation is still running");
        }
        Duration prefill = Duration.ofNanos(Math.max(0, (prefilled ? prefillEnd : decodeEnd) - prefillStart));
        Duration decode = Duration.ofNanos(decodeStart == 0 ? 0 : Math.max(0, decodeEnd - decodeStart));
        Duration firstToken = Duration.ofNanos(decodeStart == 0 ? 0 : Math.max(0, decodeStart - prefillStart));
        return new GenerationResult(text.text(), finish, prompt.length, generated, prefill, decode,
                java.util.Arrays.copyOf(tokens, generated), firstToken);
    }

    @Override
    public void close() {
        end(FinishReason.CANCELLED);
        if (arena.scope().isAlive()) {
            sampler.close();
            arena.close();
        }
    }
}
