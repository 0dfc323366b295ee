package dev.hearth.ledger;

import dev.hearth.api.ChatResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers kept for reuse: each under the key of the request it answered (the runtime decides what is cacheable and
 * what the key is), with the cost of the call that answered it (what a reuse saves), until it expires. Two stores
 * behind this one interface: the ledger's database ({@link Ledger#responseCache}, so answers survive a restart and, on
 * PostgreSQL, are shared by every instance) and this process's memory ({@link #inMemory}). Each holds at most its
 * bound of entries: storing one more evicts the expired ones, then the oldest. Thread-safe.
 */
public interface ResponseCache {
    /**
     * One kept answer.
     *
     * @param key        the exact key: a hash of the normalised request (its caller's scope in it)
     * @param similarKey for the semantic cache, what a similar request must share to reuse this answer (model,
     *                   system prompt, tools, scope; null: exact reuse only)
     * @param embedding  the vector a similar request is compared with (null when {@code similarKey} is)
     * @param response   the answer
     * @param model      the model that answered (the router's id)
     * @param costUsd    what the call that answered cost
     * @param storedAt   when it was kept (the oldest go first)
     * @param expiresAt  when it stops being reused
     */
    record Entry(String key, String similarKey, float[] embedding, ChatResponse response, String model,
            BigDecimal costUsd, Instant storedAt, Instant expiresAt) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(storedAt, "storedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
            if (costUsd.signum() < 0) {
                throw new IllegalArgumentException("a cached answer's cost cannot be negative: " + costUsd);
            }
            if ((similarKey == null) != (embedding == null)) {
                throw new IllegalArgumentException("a cached answer has both a similar key and an embedding, or"
                        + " neither");
            }
        }

        /** Whether it is still reused at {@code now}. */
        public boolean liveAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    /** The answer kept under {@code key} and still live at {@code now}. */
    Optional<Entry> get(String key, Instant now);

    /**
     * The live answers kept under {@code similarKey} with their embeddings, newest first, at most {@code limit}: the
     * candidates a semantic lookup compares a request with.
     */
    List<Entry> similar(String similarKey, Instant now, int limit);

    /**
     * Keeps {@code entry}, replacing one under the same key; then drops what expired by its {@code storedAt} and, past
     * the bound, the oldest entries.
     */
    void put(Entry entry);

    /** Forgets the answer under {@code key}; whether there was one. */
    boolean remove(String key);

    /** How many answers are kept (expired ones not yet dropped included). */
    int size();

    /** Forgets every answer; returns how many there were. */
    int clear();

    /** A cache in this process's memory, holding at most {@code maxEntries} answers. */
    static ResponseCache inMemory(int maxEntries) {
        return new MemoryResponseCache(maxEntries);
    }

    /** Checks a bound for {@link #inMemory} and {@link Ledger#responseCache}. */
    static int checkBound(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a response cache holds at least one answer; got a bound of "
                    + maxEntries);
        }
        return maxEntries;
    }
}
