package dev.hearth.api;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials this process was configured with, and the one place that keeps them out of messages: a remote
 * client's configuration registers its key when it is made, and every text that may carry a vendor's words or a
 * library's (a {@link HearthException}'s message, the CLI's error line, a log line with an exception in it) passes
 * through {@link #redact}. A vendor that echoes the key in an error body, or a library that prints a header value it
 * refused, then shows {@value #MASK} instead. Keys shorter than {@value #MIN_LENGTH} characters are not registered:
 * they cannot be told apart from ordinary words, and no vendor issues them. Thread-safe.
 */
public final class Secrets {
    /** What a key is replaced with. */
    public static final String MASK = "[REDACTED API key]";
    /** The shortest key that is redacted. */
    public static final int MIN_LENGTH = 8;

    private static final Set<String> KEYS = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** Remembers a configured key (blank or short ones are ignored; the same key again is a no-op). */
    public static void register(String key) {
        if (key != null && key.strip().length() >= MIN_LENGTH) {
            KEYS.add(key.strip());
        }
    }

    /** {@code text} with every registered key replaced by {@value #MASK}; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty() || KEYS.isEmpty()) {
            return text;
        }
        String out = text;
        // longest first, so that a key containing another is replaced whole
        List<String> keys = KEYS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String key : keys) {
            if (out.contains(key)) {
                out = out.replace(key, MASK);
            }
        }
        return out;
    }
}
