package dev.hearth.runtime;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.EmbeddingBackend;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.StopReason;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.ResponseCache;
import dev.hearth.router.CacheStatus;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache's policy: which requests are cached, under what key, and when a kept answer is reused. The key
 * is a SHA-256 of the request after routing, normalised: the model that would answer (and its configuration: a local
 * model's file and tuning, a remote one's server),
 * the messages, tools, tool choice, response format, sampling (temperature, top-p, seed, max tokens, stop) and
 * thinking, and the caller's API key unless {@code HEARTH_CACHE_SHARED} is set; the name the request used for the model
 * ({@code auto}, an agent) is not in it. The answers are kept by a {@link ResponseCache}: the ledger's
 * ({@code HEARTH_CACHE_STORE=ledger}, the default) or memory. Settings: {@code HEARTH_CACHE} (on, or off),
 * {@code HEARTH_CACHE_TTL_SECONDS} (3600), {@code HEARTH_CACHE_MAX_ENTRIES} (10,000), {@code HEARTH_CACHE_SEMANTIC}
 * (agents whose requests may reuse a similar request's answer, or {@code *}) and {@code HEARTH_CACHE_SIMILARITY}
 * (0.95). A cache that cannot be read or written (the ledger unavailable) is skipped, never failing a call.
 * Thread-safe.
 */
final class ResponseCaching {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseCaching.class);
    /** How many similar answers a semantic lookup compares, newest first. */
    static final int SIMILAR_CANDIDATES = 256;
    /** Answers worth keeping: a model's own end, not a refusal, a cancellation or an unknown stop. */
    private static final Set<StopReason> KEPT = EnumSet.of(StopReason.END_TURN, StopReason.MAX_TOKENS,
            StopReason.STOP_SEQUENCE, StopReason.TOOL_USE);

    /** Where answers are kept. */
    enum Store {
        LEDGER, MEMORY
    }

    /** The cache's settings, from the environment (hearth.toml's {@code cache*} settings laid under it). */
    record Settings(boolean on, Duration ttl, int maxEntries, Store store, boolean shared, Set<String> semanticAgents,
            double similarity) {
        static final Settings DEFAULTS = new Settings(true, Duration.ofHours(1), 10_000, Store.LEDGER, false,
                Set.of(), 0.95);

        static Settings from(Map<String, String> env) {
            boolean on = flag(env, "HEARTH_CACHE", true, "on", "off");
            long ttl = whole(env, "HEARTH_CACHE_TTL_SECONDS", 3600);
            long max = whole(env, "HEARTH_CACHE_MAX_ENTRIES", 10_000);
            if (max > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("HEARTH_CACHE_MAX_ENTRIES must be at most " + Integer.MAX_VALUE);
            }
            String store = text(env, "HEARTH_CACHE_STORE", "ledger");
            Store where = switch (store.toLowerCase(Locale.ROOT)) {
                case "ledger" -> Store.LEDGER;
                case "memory" -> Store.MEMORY;
                default -> throw new IllegalArgumentException("HEARTH_CACHE_STORE must be ledger (the ledger's"
                        + " database: kept across restarts, shared on PostgreSQL) or memory, not \"" + store + "\"");
            };
            boolean shared = flag(env, "HEARTH_CACHE_SHARED", false, "true", "false");
            Set<String> agents = new java.util.TreeSet<>();
            for (String a : text(env, "HEARTH_CACHE_SEMANTIC", "").split(",")) {
                if (!a.isBlank()) {
                    agents.add(a.strip().startsWith("agent:") ? a.strip().substring(6) : a.strip());
                }
            }
            String similarity = text(env, "HEARTH_CACHE_SIMILARITY", "0.95");
            double s;
            try {
                s = Double.parseDouble(similarity);
            } catch (NumberFormatException e) {
                s = Double.NaN;
            }
            if (!(s > 0 && s <= 1)) {
                throw new IllegalArgumentException("HEARTH_CACHE_SIMILARITY must be a cosine similarity above 0 and at"
                        + " most 1 (0.95 by default), not \"" + similarity + "\"");
            }
            return new Settings(on, Duration.ofSeconds(ttl), (int) max, where, shared, Set.copyOf(agents), s);
        }

        private static String text(Map<String, String> env, String name, String otherwise) {
            String v = env.get(name);
            return v == null || v.isBlank() ? otherwise : v.strip();
        }

        private static boolean flag(Map<String, String> env, String name, boolean otherwise, String yes, String no) {
            String v = text(env, name, "").toLowerCase(Locale.ROOT);
            return switch (v) {
                case "" -> otherwise;
                case "on", "true", "1", "yes" -> true;
                case "off", "false", "0", "no" -> false;
                default -> throw new IllegalArgumentException(name + " must be " + yes + " or " + no + ", not \""
                        + env.get(name) + "\"");
            };
        }

        private static long whole(Map<String, String> env, String name, long otherwise) {
            String v = text(env, name, "");
            if (v.isEmpty()) {
                return otherwise;
            }
            try {
                long n = Long.parseLong(v);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(name + " must be a whole number of at least 1 (default " + otherwise
                    + "), not \"" + v + "\"");
        }

        /** Whether requests of {@code agent} (null: none) may reuse a similar request's answer. */
        boolean semantic(String agent) {
            return semanticAgents.contains("*") || agent != null && semanticAgents.contains(agent);
        }
    }

    /**
     * What the cache does for one request: its status, the keys it is (or would be) kept under, the answer it reuses
     * ({@code hit}, with the similarity of a semantic hit; 1 for an exact one), and whether a model's answer is kept.
     */
    record Plan(CacheStatus status, String key, String similarKey, float[] embedding, String model,
            ResponseCache.Entry hit, double similarity, boolean keep) {
        static final Plan NONE = new Plan(CacheStatus.BYPASS, null, null, null, null, null, 0, false);

        /** The trace attributes of a hit, for the ledger. */
        Map<String, String> attributes() {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("hearth.cache.kind", hit.key().equals(key) ? "exact" : "semantic");
            out.put("hearth.cache.key", hit.key());
            out.put("hearth.cache.stored_at", hit.storedAt().toString());
            out.put("hearth.cache.saved_usd", hit.costUsd().toPlainString());
            if (!hit.key().equals(key)) {
                out.put("hearth.cache.similarity", String.format(Locale.ROOT, "%.4f", similarity));
            }
            return out;
        }
    }

    private final Settings settings;
    private final Supplier<Ledger> ledger;
    private final Clock clock;
    private final Supplier<EmbeddingBackend> embedder;
    private final Function<ModelProfile, String> fingerprint;
    private ResponseCache store; // guarded by this; made on first use
    private volatile boolean noEmbedder;

    /**
     * @param ledger    the ledger whose database keeps answers (for {@link Store#LEDGER})
     * @param clock     what time-to-live runs on
     * @param embedder  the local embedder, for semantic lookups (asked only when one is needed)
     * @param fingerprint  what makes a model's answers what they are beyond the request (its configuration, a local
     *                     model's file and tuning): part of the key
     */
    ResponseCaching(Settings settings, Supplier<Ledger> ledger, Clock clock, Supplier<EmbeddingBackend> embedder,
            Function<ModelProfile, String> fingerprint) {
        this.settings = settings;
        this.ledger = ledger;
        this.clock = clock;
        this.embedder = embedder;
        this.fingerprint = fingerprint;
    }

    Settings settings() {
        return settings;
    }

    /** The store answers are kept in; null (logged) when the ledger cannot be opened. */
    synchronized ResponseCache store() {
        if (store == null) {
            if (settings.store() == Store.MEMORY) {
                store = ResponseCache.inMemory(settings.maxEntries());
            } else {
                try {
                    store = ledger.get().responseCache(settings.maxEntries());
                } catch (RuntimeException e) {
                    LOG.warn("the response cache is skipped: the ledger cannot be opened ({})", e.getMessage());
                    return null;
                }
            }
        }
        return store;
    }

    /** Whether a request is deterministic: temperature 0, or a seed. */
    static boolean deterministic(ChatRequest request) {
        return request.seed() != null || request.temperature() != null && request.temperature() == 0.0;
    }

    /** The agent a request runs as: the caller's, else the one its model names ({@code agent:NAME}). */
    private static String agent(ChatRequest request, Caller caller) {
        if (caller.agent() != null) {
            return caller.agent();
        }
        String model = request.model().strip();
        return model.startsWith("agent:") ? model.substring(6) : null;
    }

    /** What the cache does for {@code request}, routed by {@code decision}, from {@code caller}: looked up here. */
    Plan plan(ChatRequest request, RouteDecision decision, Caller caller, CacheMode mode) {
        if (!settings.on() || decision instanceof RouteDecision.Reject || decision.chain().isEmpty()) {
            return Plan.NONE;
        }
        boolean semantic = mode == CacheMode.SEMANTIC || settings.semantic(agent(request, caller));
        boolean cacheable = deterministic(request) || semantic || mode == CacheMode.OPT_IN;
        if (!cacheable) {
            return Plan.NONE;
        }
        ModelProfile model = decision.chain().getFirst();
        String scope = settings.shared() ? "*" : caller.keyName() == null ? "" : "key:" + caller.keyName();
        String configured = fingerprint.apply(model);
        String key = exactKey(scope, model.id(), configured, request);
        ChatMessage last = request.messages().getLast();
        boolean similar = semantic && last.role() == Role.USER && !last.content().isBlank();
        if (mode == CacheMode.BYPASS) {
            float[] embedding = similar ? embed(last.content()) : null;
            return new Plan(CacheStatus.BYPASS, key, embedding == null ? null : similarKey(scope, model.id(), configured,
                    request), embedding, model.id(), null, 0, true);
        }
        ResponseCache cache = store();
        if (cache == null) {
            return Plan.NONE;
        }
        Instant now = clock.instant();
        String similarKey = null;
        float[] embedding = null;
        try {
            var exact = cache.get(key, now);
            if (exact.isPresent()) {
                return new Plan(CacheStatus.HIT, key, null, null, model.id(), exact.get(), 1, false);
            }
            embedding = similar ? embed(last.content()) : null;
            if (embedding != null) {
                similarKey = similarKey(scope, model.id(), configured, request);
                ResponseCache.Entry best = null;
                double bestScore = -1;
                for (ResponseCache.Entry e : cache.similar(similarKey, now, SIMILAR_CANDIDATES)) {
                    if (e.embedding().length != embedding.length) {
                        continue; // kept under another embedder
                    }
                    double score = EmbeddingBackend.cosine(embedding, e.embedding());
                    if (score > bestScore) {
                        best = e;
                        bestScore = score;
                    }
                }
                if (best != null && bestScore >= settings.similarity()) {
                    return new Plan(CacheStatus.HIT, key, similarKey, embedding, model.id(), best, bestScore, false);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("the response cache could not be read ({}); the model answers", e.getMessage());
            return Plan.NONE;
        }
        return new Plan(CacheStatus.MISS, key, similarKey, embedding, model.id(), null, 0, true);
    }

    /**
     * Keeps a model's answer as {@code plan} says, with what it cost: only an answer of the model the key names (no
     * fallback taken) that ended as a model's answers do. A store that fails is logged, never failing the call.
     */
    void keep(Plan plan, FallbackChain.Routed r, BigDecimal cost) {
        if (!plan.keep() || !r.hops().isEmpty() || !r.answeredBy().id().equals(plan.model())
                || !KEPT.contains(r.response().stopReason())) {
            return;
        }
        ResponseCache cache = store();
        if (cache == null) {
            return;
        }
        Instant now = clock.instant();
        try {
            cache.put(new ResponseCache.Entry(plan.key(), plan.similarKey(), plan.embedding(), r.response(),
                    r.answeredBy().id(), cost, now, now.plus(settings.ttl())));
        } catch (RuntimeException e) {
            LOG.warn("the response cache could not keep an answer ({})", e.getMessage());
        }
    }

    private float[] embed(String text) {
        if (noEmbedder) {
            return null;
        }
        try {
            return embedder.get().embed(List.of(text)).getFirst();
        } catch (RuntimeException e) {
            noEmbedder = true;
            LOG.warn("the semantic cache is off: no embedder ({}); identical requests still hit", e.getMessage());
            return null;
        }
    }

    /** The exact key: every part of the request that can change the answer, with the model and the scope. */
    static String exactKey(String scope, String model, String fingerprint, ChatRequest r) {
        Digest d = new Digest("hearth-cache-exact-v1");
        common(d, scope, model, fingerprint, r);
        d.add(r.messages().size());
        r.messages().forEach(d::add);
        d.add(r.temperature() == null ? null : Double.toString(r.temperature()));
        d.add(r.topP() == null ? null : Double.toString(r.topP()));
        d.add(r.seed() == null ? null : Long.toString(r.seed()));
        return d.hex();
    }

    /**
     * The similar key: what a request must share with an earlier one for a semantic hit — all of the exact key but the
     * last message and the sampling's randomness (temperature, top-p, seed).
     */
    static String similarKey(String scope, String model, String fingerprint, ChatRequest r) {
        Digest d = new Digest("hearth-cache-similar-v1");
        common(d, scope, model, fingerprint, r);
        List<ChatMessage> before = r.messages().subList(0, r.messages().size() - 1);
        d.add(before.size());
        before.forEach(d::add);
        return d.hex();
    }

    private static void common(Digest d, String scope, String model, String fingerprint, ChatRequest r) {
        d.add(scope);
        d.add(model);
        d.add(fingerprint);
        d.add(r.tools().size());
        for (Tool t : r.tools()) {
            d.add(t.name());
            d.add(t.description());
            d.add(t.parameters());
        }
        d.add(switch (r.toolChoice()) {
            case ToolChoice.Auto a -> "auto";
            case ToolChoice.None n -> "none";
            case ToolChoice.Required q -> "required";
            case ToolChoice.Named n -> "named:" + n.name();
        });
        switch (r.responseFormat()) {
            case ResponseFormat.Text t -> d.add("text");
            case ResponseFormat.JsonObject o -> d.add("json_object");
            case ResponseFormat.JsonSchema s -> {
                d.add("json_schema");
                d.add(s.name());
                d.add(s.schema());
                d.add(Boolean.toString(s.strict()));
                d.add(Boolean.toString(s.lenient()));
            }
        }
        d.add(r.maxTokens());
        d.add(r.stop().size());
        r.stop().forEach(d::add);
        d.add(r.thinking().mode().name());
        d.add(r.thinking().budgetTokens());
    }

    /** A SHA-256 over length-prefixed fields: no two different sequences of fields give the same bytes. */
    private static final class Digest {
        private final MessageDigest sha;

        Digest(String domain) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no SHA-256", e);
            }
            add(domain);
        }

        void add(String s) {
            if (s == null) {
                sha.update(ByteBuffer.allocate(4).putInt(-1).array());
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }

        void add(int n) {
            add(Integer.toString(n));
        }

        void add(ChatMessage m) {
            add(m.role().name());
            add(m.content());
            add(m.reasoning());
            add(m.toolCallId());
            add(m.toolCalls().size());
            for (ToolCall c : m.toolCalls()) {
                add(c.id());
                add(c.name());
                add(c.arguments());
            }
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Gives a kept answer to a streaming caller as a model would: reasoning, the text in pieces, then tool calls. */
    static void replay(ChatResponse answer, dev.hearth.api.ChatSink sink) {
        if (sink == null) {
            return;
        }
        for (String piece : pieces(answer.reasoning())) {
            sink.onReasoning(piece);
        }
        for (String piece : pieces(answer.content())) {
            sink.onContent(piece);
        }
        answer.toolCalls().forEach(sink::onToolCall);
    }

    /** A text cut after whitespace into pieces of about a few words (never inside a word or a surrogate pair). */
    static List<String> pieces(String text) {
        List<String> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i - start >= 16 && Character.isWhitespace(text.charAt(i))) {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }
}
