package dev.hearth.llama.internal;

import dev.hearth.llama.ContextFullException;
import dev.hearth.llama.LlamaException;


/** Turns llama.cpp's status codes into typed outcomes and exceptions, in one place. */
public final class Status {
    /** llama_decode: success. */
    public static final int OK = 0;
    /** llama_decode: no KV slot for the batch. Retryable with a smaller batch or a larger context. */
    public static final int NO_KV_SLOT = 1;
    /** llama_decode: the abort callback asked to stop. */
    public static final int ABORTED = 2;
    /** llama_decode: invalid input batch. */
    public static final int INVALID_BATCH = -1;

    private Status() {
    }

    /** Throws for every decode status other than OK and ABORTED (which the caller handles). */
    public static void checkDecode(int status, int batchTokens) {
        switch (status) {
            case OK, ABORTED -> { }
            case NO_KV_SLOT -> throw new ContextFullException("llama_decode found no room in the KV cache for a"
                    + " batch of " + batchTokens + " tokens; use a larger context or a smaller batch");
            case INVALID_BATCH -> throw new LlamaException("llama_decode rejected a batch of " + batchTokens
                    + " tokens as invalid; this is a bug in Hearth, please report it");
            default -> throw new LlamaException("llama_decode failed with status " + status
                    + " (a fatal error inside llama.cpp); the context must be recreated");
        }
    }
}
