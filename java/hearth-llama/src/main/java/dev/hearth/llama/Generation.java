package dev.hearth.llama;

import dev.hearth.api.ContextOverflowException;
import dev.hearth.llama.internal.Pieces;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.llama.internal.Status;
import dev.hearth.llama.internal.TokenOutput;
import java.lang.foreign.Arena;
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
    private final TokenOutput output;
    private final Arena arena = Arena.ofShared(); // shared: a stream its thread abandoned is freed by another
    private int pos;
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
        this.output = new TokenOutput(model, new Pieces(model.vocab(), arena), params, shownSpecial);
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
            return output.finish();
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
        int token = sampler.sample(context.handle(), -1, output.pendingUtf8());
        FinishReason reason = output.accept(token);
        if (output.count() == 1) {
            decodeStart = System.nanoTime();
        }
        String out = output.shown();
        if (reason != null) {
            end(reason);
        } else if (pos >= context.contextSize()) {
            end(FinishReason.CONTEXT_FULL);
        } else if (context.decodeOne(token, pos++) == Status.ABORTED) {
            end(FinishReason.CANCELLED);
        }
        return out;
    }

    /** Ends the generation for {@code reason}; what the model has produced is still returned by {@link #next()}. */
    void stop(FinishReason reason) {
        end(reason);
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
        return params.grammar().checked(new GenerationResult(output.text(), finish, prompt.length, output.count(),
                prefill, decode, output.tokens(), firstToken));
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
