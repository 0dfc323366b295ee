package dev.hearth.llama.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Token → bytes through {@code llama_token_to_piece}, into a reused buffer. One thread at a time. */
public final class Pieces {
    private final MemorySegment vocab;
    private final Arena arena;
    private MemorySegment buffer;
    private byte[] bytes = new byte[256];

    public Pieces(MemorySegment vocab, Arena arena) {
        this.vocab = vocab;
        this.arena = arena;
        this.buffer = arena.allocate(bytes.length);
    }

    /** Writes the token's bytes (control tokens as their text when {@code special}) into {@link #bytes()}; returns their count. */
    public int of(int token, boolean special) {
        try {
            int n = (int) LlamaC.llama_token_to_piece.invokeExact(vocab, token, buffer, (int) buffer.byteSize(), 0,
                    special);
            if (n < 0) {
                buffer = arena.allocate(-n);
                bytes = new byte[-n];
                n = (int) LlamaC.llama_token_to_piece.invokeExact(vocab, token, buffer, -n, 0, special);
            }
            MemorySegment.copy(buffer, JAVA_BYTE, 0, bytes, 0, Math.max(n, 0));
            return Math.max(n, 0);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    public byte[] bytes() {
        return bytes;
    }
}
