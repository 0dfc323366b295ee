package dev.hearth.server;

import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.ApiKeys.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The ledger's API keys as the gate asks about them on every request, kept cheap: a secret's answer (its key, or none)
 * is remembered for {@code ttl}, under the secret's SHA-256 (never the secret itself), and so is whether any key
 * exists. A key revoked or created with {@code hearth keys} is seen within {@code ttl} (five seconds in the server).
 * Thread-safe, and one lookup at a time per secret: a burst of requests with the same key (a client opening 100
 * streams at once) asks the ledger once and the rest wait for that answer, rather than each taking a connection of a
 * shared ledger's pool (which a burst used to exhaust, answering 503).
 */
final class KeyRing {
    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_REMEMBERED = 10_000;

    private record Remembered(Optional<ApiKey> key, long at) {
    }

    private final Supplier<ApiKeys> keys;
    private final long ttlNanos;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Remembered> secrets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Remembered>> asking = new ConcurrentHashMap<>();
    private record AnyKey(boolean any, long at) {
    }

    private volatile AnyKey anyKey;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own) */
    KeyRing(Supplier<ApiKeys> keys, Duration ttl, LongSupplier nanos) {
        this.keys = keys;
        this.ttlNanos = ttl.toNanos();
        this.nanos = nanos;
    }

    /**
     * Whether requests need a key: once any key has been created, revoked ones included (revoking the last key does
     * not silently open the server; it stays closed until the ledger has no keys at all).
     */
    boolean required() {
        AnyKey r = anyKey;
        if (r == null || nanos.getAsLong() - r.at() > ttlNanos) {
            synchronized (this) { // one reading for a burst
                r = anyKey;
                long now = nanos.getAsLong();
                if (r == null || now - r.at() > ttlNanos) {
                    r = new AnyKey(!keys.get().list().isEmpty(), now);
                    anyKey = r;
                }
            }
        }
        return r.any();
    }

    /** The valid key whose secret this is, or empty. */
    Optional<ApiKey> verify(String secret) {
        long now = nanos.getAsLong();
        String digest = sha256(secret);
        Remembered r = secrets.get(digest);
        if (r == null || now - r.at() > ttlNanos) {
            r = lookup(secret, digest, now);
        }
        return r.key();
    }

    // the ledger asked once for a secret; whoever asks while that is under way waits for its answer (or its failure)
    private Remembered lookup(String secret, String digest, long now) {
        CompletableFuture<Remembered> mine = new CompletableFuture<>();
        CompletableFuture<Remembered> running = asking.putIfAbsent(digest, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : e;
            }
        }
        try {
            if (secrets.size() >= MAX_REMEMBERED) {
                secrets.clear(); // a flood of made-up secrets must not grow memory; the next lookups refill it
            }
            Remembered r = new Remembered(keys.get().lookup(secret), now);
            secrets.put(digest, r);
            mine.complete(r);
            return r;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            asking.remove(digest, mine);
        }
    }

    /** Forgets every remembered answer: a change made through this server (a key revoked) holds at once. */
    void forget() {
        secrets.clear();
        anyKey = null;
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
