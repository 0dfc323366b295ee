package dev.hearth.runtime;

import dev.hearth.api.EmbeddingBackend;
import dev.hearth.host.ModelHost;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Tokens;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.ModelRegistry;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Embeddings through the front door: the texts checked before any backend sees them, the model a caller named (the
 * default embedder an installed backend offers, or a local embedding model, leased from the model host like every
 * local model: its memory budget, keep-alive and eviction), and the call recorded in the ledger as every local call is
 * ({@link Calls#local}): its input tokens, cost 0. A chat model named for embeddings is refused, naming the models that
 * embed: mean-pooling a chat model's hidden states gives vectors that look right and mean little. Thread-safe.
 */
final class EmbeddingCalls {
    static final int MAX_TEXTS = Vectors.MAX_TEXTS;
    /** What the ledger records as an embeddings call's task class and route reason. */
    static final String TASK = "embedding";

    private final Backends backends;
    private final Calls calls;
    private final ModelRegistry registry;
    private final Function<String, ModelProfile> local;
    private final Supplier<ModelSpecs> specs;

    /**
     * @param local the local profile a spec names, registered (refused, saying so, for a remote one or {@code auto})
     * @param specs the one reader of model specs, for the cache's models
     */
    EmbeddingCalls(Backends backends, Calls calls, ModelRegistry registry, Function<String, ModelProfile> local,
            Supplier<ModelSpecs> specs) {
        this.backends = backends;
        this.calls = calls;
        this.registry = registry;
        this.local = local;
        this.specs = specs;
    }

    /** Embeds {@code texts} with the model {@code model} names, recorded as a call from {@code origin}. */
    Vectors embed(String model, List<String> texts, Calls.Origin origin) throws InterruptedException {
        check(texts);
        String named = model == null ? "" : model.strip();
        AtomicReference<String> callId = new AtomicReference<>();
        Calls.Origin told = new Calls.Origin(origin.entryPoint(), origin.caller(), id -> {
            callId.set(id);
            origin.onCallId().accept(id);
        });
        Optional<String> byDefault = defaultName().filter(n -> n.equalsIgnoreCase(named));
        if (byDefault.isPresent()) {
            String name = byDefault.get();
            List<EmbeddingBackend.Embedded> out = calls.local(start(name, told), told,
                    () -> backends.embedder(null).embedAll(texts), EmbeddingCalls::tokens);
            return new Vectors(name, out, callId.get());
        }
        ModelProfile p = embeddingModel(named);
        List<EmbeddingBackend.Embedded> out = calls.local(start(p.id(), told), told, () -> {
            try (ModelHost.Lease lease = backends.host().lease(backends.spec(p), null)) {
                return Backends.loaded(lease).embedder().orElseThrow(() -> new IllegalStateException(p.id()
                        + " was loaded as a chat model though its file says it embeds")).embedAll(texts);
            }
        }, EmbeddingCalls::tokens);
        return new Vectors(p.id(), out, callId.get());
    }

    /**
     * The names a caller may embed with: the default embedder's (lower case, as OpenAI names models), then the local
     * embedding models configured or named so far, then those in the model cache; read without loading any.
     */
    List<String> models() {
        Set<String> out = new LinkedHashSet<>();
        defaultName().ifPresent(out::add);
        for (ModelProfile p : registry.all()) {
            if (p.local() && embeds(p)) {
                out.add(p.id());
            }
        }
        try {
            for (var m : backends.store().list()) {
                ModelProfile p = switch (specs.get().resolve(m.name(), LocalOptions.DEFAULT_CONTEXT)) {
                    case ModelSpecs.AdHoc a -> a.profile();
                    case ModelSpecs.Known k -> k.profile();
                    case ModelSpecs.Routed r -> null;
                };
                if (p != null && p.local() && embeds(p)) {
                    out.add(p.id());
                }
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            // the cache's models are left out; hearth models list says what is wrong with it
        }
        return List.copyOf(out);
    }

    private Optional<String> defaultName() {
        return backends.embedderName().map(n -> n.toLowerCase(Locale.ROOT));
    }

    // whether a local profile's file says it is an embedding model; an unreadable one is not (using it says why)
    private boolean embeds(ModelProfile p) {
        try {
            return backends.local(p).embeds();
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private ModelProfile embeddingModel(String named) {
        ModelProfile p = local.apply(named);
        if (!backends.local(p).embeds()) {
            throw new IllegalArgumentException(p.id() + " is a chat model, not an embedding model (its file declares"
                    + " no pooling); the models that embed here are " + models());
        }
        return p;
    }

    /** The texts a backend may see: 1 to {@value #MAX_TEXTS}, none of them empty. */
    static void check(List<String> texts) {
        if (texts == null || texts.isEmpty() || texts.size() > MAX_TEXTS) {
            throw new IllegalArgumentException("there are " + (texts == null ? 0 : texts.size()) + " texts to embed;"
                    + " send from 1 to " + MAX_TEXTS);
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isEmpty()) {
                throw new IllegalArgumentException("text " + i + " is empty; send text to embed");
            }
        }
    }

    private static CallStart start(String model, Calls.Origin origin) {
        return new CallStart(origin.entryPoint(), origin.caller(), TASK, "local", TASK + " request", model, "local",
                false, null);
    }

    private static Tokens tokens(List<EmbeddingBackend.Embedded> out) {
        return new Tokens(out.stream().mapToLong(EmbeddingBackend.Embedded::tokens).sum(), 0, 0, 0, 0);
    }
}
