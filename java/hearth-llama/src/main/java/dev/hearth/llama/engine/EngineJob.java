package dev.hearth.llama.engine;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.llama.internal.TokenOutput;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One request inside a {@link LlamaEngine}: its inputs, and the state the scheduler loop keeps for it. */
final class EngineJob {
    final int[] prompt;
    final GenerationParams params;
    final TokenSink sink;
    final long deadlineNanos; // Long.MAX_VALUE: none
    final int[] grammarPrefill;
    final java.util.Set<Integer> shownSpecial;
    final long submittedNanos = System.nanoTime();
    final CompletableFuture<EngineResult> future = new CompletableFuture<>();
    volatile boolean cancelled;
    boolean released; // set once, by the scheduler loop, when the job gives its slot and admission back
    String conversation; // a chat's ConversationKey, set before it is enqueued; null for raw completions

    // scheduler-loop state
    Sampler sampler;
    TokenOutput output;
    Drafter drafter;     // null: the request does not speculate
    int slot = -1;
    int cached;          // prompt tokens reused from the slot's cache
    int fed;             // prompt tokens in the KV cache (cached + evaluated)
    int pending = -1;    // a sampled token still to be decoded
    long assignedNanos, firstTokenNanos, endNanos;

    EngineJob(int[] prompt, GenerationParams params, TokenSink sink, long deadlineNanos) {
        this(prompt, params, sink, deadlineNanos, new int[0], java.util.Set.of());
    }

    EngineJob(int[] prompt, GenerationParams params, TokenSink sink, long deadlineNanos, int[] grammarPrefill,
            java.util.Set<Integer> shownSpecial) {
        this.prompt = prompt;
        this.params = params;
        this.sink = sink;
        this.deadlineNanos = deadlineNanos;
        this.grammarPrefill = grammarPrefill;
        this.shownSpecial = shownSpecial;
    }

    boolean prefilling() {
        return fed < prompt.length;
    }

    int generatedCount() {
        return output == null ? 0 : output.count();
    }

    EngineResult result(FinishReason reason) {
        long wait = (assignedNanos == 0 ? endNanos : assignedNanos) - submittedNanos;
        long ttft = firstTokenNanos == 0 ? 0 : firstTokenNanos - submittedNanos;
        long decode = firstTokenNanos == 0 ? 0 : endNanos - firstTokenNanos;
        RequestStats stats = new RequestStats(Duration.ofNanos(Math.max(0, wait)), Duration.ofNanos(Math.max(0, ttft)),
                prompt.length, cached, generatedCount(), Duration.ofNanos(Math.max(0, decode)),
                drafter == null ? 0 : drafter.drafted(), drafter == null ? 0 : drafter.accepted());
        return new EngineResult(output == null ? "" : output.text(), reason,
                output == null ? new int[0] : output.tokens(), stats);
    }
}
