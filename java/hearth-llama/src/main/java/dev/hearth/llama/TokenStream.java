package dev.hearth.llama;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Generated text pulled one piece at a time, on the thread that iterates. Close it (try-with-resources) to free
 * the context early; it also frees itself when the generation ends. {@link #result()} is available once the
 * iteration is over. {@link #close()} from another thread only cancels: the iterating thread frees the generation at
 * its next step (or the closing thread does, when the iterating thread has ended without closing).
 */
public final class TokenStream implements Iterable<String>, AutoCloseable {
    private final Generation generation;
    private final LlamaContext context;
    private String next;
    private boolean done;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    TokenStream(Generation generation, LlamaContext context) {
        this.generation = generation;
        this.context = context;
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    String text = generation.next();
                    if (text == null) {
                        done = true;
                        close();
                    } else if (!text.isEmpty()) {
                        next = text;
                    }
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String out = next;
                next = null;
                return out;
            }
        };
    }

    /** The outcome; throws IllegalStateException while the stream is still running. */
    public GenerationResult result() {
        return generation.result();
    }

    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        if (!context.mayRelease()) { // another thread is sampling: freeing its sampler now would crash it
            context.cancel();
            return;
        }
        if (closed.compareAndSet(false, true)) {
            try {
                generation.close();
            } finally {
                context.release();
            }
        }
    }
}
