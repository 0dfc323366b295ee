package dev.hearth.llama.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an engine reports about itself while its loop runs: busy slots, KV cells in use, requests completed, prompt
 * tokens taken and reused from slots' prefix caches, and the conversations its slots hold. The loop writes; any thread
 * reads ({@link LlamaEngine#stats()}, {@link LlamaEngine#prefixes()}).
 */
final class EngineGauges {
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong kvCells = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong reusedPromptTokens = new AtomicLong();
    private volatile List<String> warm = List.of(); // the slots' conversations, as the loop last assigned them

    /** A request took a slot: its prompt, the part of it the slot's cache held, and the slots' state after. */
    void assigned(int prompt, int reused, Slots slots) {
        warm = slots.conversations();
        promptTokens.addAndGet(prompt);
        reusedPromptTokens.addAndGet(reused);
        busy.incrementAndGet();
        kvCells.set(slots.cells());
    }

    /** The KV cells the slots hold now. */
    void cells(Slots slots) {
        kvCells.set(slots.cells());
    }

    /** A request gave its slot back. */
    void freed() {
        busy.decrementAndGet();
    }

    /** A request ended without its future already settled. */
    void completed() {
        completed.incrementAndGet();
    }

    EngineStats stats(int slots, int queued, long[] drafts) {
        return new EngineStats(slots, busy.get(), Math.max(0, queued), kvCells.get(), completed.get(),
                promptTokens.get(), reusedPromptTokens.get(), drafts[0], drafts[1]);
    }

    dev.hearth.api.spi.PrefixReport prefixes() {
        return new dev.hearth.api.spi.PrefixReport(warm, promptTokens.get(), reusedPromptTokens.get());
    }
}
