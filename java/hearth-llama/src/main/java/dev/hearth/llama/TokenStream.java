package dev.hearth.llama;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Generated text pulled one piece at a time, on the thread that iterates. Close it (try-with-resources) to free
 * the context early; it also frees itself when the generation ends. {@link #result()} is available once the
 * iteration is over.
 */
public final class TokenStream implements Iterable<String>, AutoCloseable {
    private final Generation generation;
    private final Runnable release;
    private String next;
    private boolean done;
    private boolean closed;

    TokenStream(Generation generation, Runnable release) {
        this.generation = generation;
        this.release = release;
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
        if (!closed) {
            closed = true;
            try {
                generation.close();
            } finally {
                release.run();
            }
        }
    }
}
