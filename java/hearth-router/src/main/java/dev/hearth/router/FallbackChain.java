package dev.hearth.router;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.ProviderException;
import dev.hearth.schema.InvalidAnswerException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a decision: the chosen model, then each fallback in order, moving on only for failures another model can fix
 * (unavailable, rate limited, overloaded, timed out before any output, a context too small, a rejected key or an
 * empty balance at one vendor, an answer that does not match the requested JSON schema)
 * and stopping for those it cannot (a bad request) or must not retry (a stream that
 * already reached the caller). Every hop is reported in the result.
 */
public final class FallbackChain {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackChain.class);

    /** One move to the next model: from, to, and why. */
    public record Hop(String from, String to, String why) {
    }

    /**
     * The answer, the model that gave it, the decision that was made, the hops on the way, what the privacy guard
     * did when the answer came from outside the machine (null when it did not), and what the response cache did
     * ({@link CacheStatus#HIT}: the answer is one {@code answeredBy} gave an earlier request, the same or, where the
     * semantic cache is on, a similar one; no model was called this time).
     */
    public record Routed(ChatResponse response, ModelProfile answeredBy, RouteDecision decision, List<Hop> hops,
            PrivacyGuard.Verdict privacy, String callId, java.time.Duration timeToFirstToken, CacheStatus cache) {
        public Routed {
            hops = List.copyOf(hops);
            callId = callId == null ? "" : callId;
            timeToFirstToken = timeToFirstToken == null ? java.time.Duration.ZERO : timeToFirstToken;
            cache = cache == null ? CacheStatus.BYPASS : cache;
        }

        /** An answer the response cache had no part in. */
        public Routed(ChatResponse response, ModelProfile answeredBy, RouteDecision decision, List<Hop> hops,
                PrivacyGuard.Verdict privacy, String callId, java.time.Duration timeToFirstToken) {
            this(response, answeredBy, decision, hops, privacy, callId, timeToFirstToken, CacheStatus.BYPASS);
        }

        public Routed(ChatResponse response, ModelProfile answeredBy, RouteDecision decision, List<Hop> hops,
                PrivacyGuard.Verdict privacy) {
            this(response, answeredBy, decision, hops, privacy, "", java.time.Duration.ZERO);
        }

        /** The same answer under the id its call has in the ledger ("" when it was not recorded). */
        public Routed withCallId(String id) {
            return new Routed(response, answeredBy, decision, hops, privacy, id, timeToFirstToken, cache);
        }

        /** The same answer, saying what the response cache did for it. */
        public Routed withCache(CacheStatus status) {
            return new Routed(response, answeredBy, decision, hops, privacy, callId, timeToFirstToken, status);
        }

        /** Whether the answer came from the response cache (no model was called). */
        public boolean cached() {
            return cache == CacheStatus.HIT;
        }

        /** Whether any of the request left the machine, and to whom ("" when it did not, or it was a cache hit). */
        public String sentTo() {
            return answeredBy.local() || cached() ? "" : answeredBy.provider();
        }

        /**
         * Warnings to show with the answer: math and code are checked by nobody, and data that left the machine says
         * where it went (and what was redacted on the way).
         */
        public List<String> labels() {
            List<String> out = new ArrayList<>();
            switch (decision.classification().taskClass()) {
                case MATH -> out.add("math answer: check the steps and the arithmetic before relying on it");
                case CODE -> out.add("code answer: review and test it before running it");
                default -> { }
            }
            if (cached()) {
                out.add("from the response cache: " + answeredBy.id() + " gave this answer earlier; nothing was sent"
                        + " now");
            } else if (!answeredBy.local()) {
                out.add("sent to " + answeredBy.provider() + " (" + answeredBy.model() + ")"
                        + (privacy != null && privacy.action() == PrivacyGuard.Policy.REDACT && !privacy.findings().isEmpty()
                        ? "; redacted first: " + String.join(", ", privacy.findings()) : ""));
            }
            return List.copyOf(out);
        }
    }

    private final Function<ModelProfile, ChatBackend> backends;
    private final PrivacyGuard guard;
    private final HealthTracker health;
    private volatile SpendGate spend = SpendGate.NONE;
    private final Measurements measurements = new Measurements();

    /** A chain that redacts credentials from anything it sends out and tracks no health. */
    public FallbackChain(Function<ModelProfile, ChatBackend> backends) {
        this(backends, new PrivacyGuard(PrivacyGuard.Policy.REDACT), null);
    }

    public FallbackChain(Function<ModelProfile, ChatBackend> backends, PrivacyGuard guard) {
        this(backends, guard, null);
    }

    /**
     * @param backends  the backend that serves a model (one per provider, typically)
     * @param guard     what may leave the machine
     * @param health    circuit breakers and cool-downs per model (null: none); open circuits are skipped
     */
    public FallbackChain(Function<ModelProfile, ChatBackend> backends, PrivacyGuard guard, HealthTracker health) {
        this.backends = backends;
        this.guard = guard;
        this.health = health;
    }

    /** Budgets for remote calls: a hold is reserved before each remote hop and settled after it. */
    public FallbackChain withSpendGate(SpendGate gate) {
        this.spend = java.util.Objects.requireNonNull(gate, "gate");
        return this;
    }

    /** Runs the request along the decision's chain; {@code sink} null answers in one piece. */
    public Routed execute(ChatRequest request, RouteDecision decision, ChatSink sink) throws InterruptedException {
        return execute(request, decision, sink, spend);
    }

    /** As {@link #execute(ChatRequest, RouteDecision, ChatSink)}, holding this call's spend through {@code gate}. */
    public Routed execute(ChatRequest request, RouteDecision decision, ChatSink sink, SpendGate gate)
            throws InterruptedException {
        java.util.Objects.requireNonNull(gate, "gate");
        if (decision instanceof RouteDecision.Reject reject) {
            throw new RouteRejectedException(reject);
        }
        List<ModelProfile> chain = decision.chain();
        List<Hop> hops = new ArrayList<>();
        List<RuntimeException> earlier = new ArrayList<>();
        for (int i = 0; ; i++) {
            ModelProfile model = chain.get(i);
            ChatRequest forModel = request.withModel(model.model()).withMaxTokens(model.outputCap(request.maxTokens()));
            PrivacyGuard.Verdict verdict = null;
            if (!model.local()) {
                verdict = guard.check(forModel);
                if (verdict.action() == PrivacyGuard.Policy.REFUSE) {
                    throw new PrivacyRefusedException(model.provider(), verdict.findings());
                }
                forModel = verdict.request();
            }
            if (health != null && !health.tryAcquire(model.id())) {
                if (i + 1 >= chain.size()) {
                    throw new RouteRejectedException(new RouteDecision.Reject("every model in the chain is unavailable"
                            + " (circuits open or cooling down); the last, " + model.id() + ", is "
                            + health.health(model.id()).state() + "; try again shortly", decision.classification()));
                }
                hops.add(new Hop(model.id(), chain.get(i + 1).id(), "circuit open"));
                continue;
            }
            long start = System.nanoTime();
            long[] firstToken = {0};
            SpendGate.Hold hold = null;
            try {
                ChatBackend backend = backends.apply(model);
                hold = model.local() ? null : gate.reserve(model, forModel); // committed before anything is sent
                ChatResponse response = sink == null ? backend.chat(forModel)
                        : backend.stream(forModel, timed(sink, firstToken));
                hold = settle(hold, model, response); // billed whether or not the answer validates
                List<String> problems = AnswerCheck.problems(request, response);
                if (!problems.isEmpty() && sink == null && !model.local()) {
                    LOG.info("{}'s answer does not validate ({}); asking once more", model.id(), problems);
                    ChatRequest again = AnswerCheck.retry(forModel, response, problems);
                    hold = gate.reserve(model, again);
                    ChatResponse second = backend.chat(again);
                    hold = settle(hold, model, second);
                    response = AnswerCheck.billedTogether(response, second);
                    problems = AnswerCheck.problems(request, response);
                }
                if (!problems.isEmpty()) {
                    throw new InvalidAnswerException(problems);
                }
                long end = System.nanoTime();
                long ttft = (firstToken[0] == 0 ? end : firstToken[0]) - start; // whole answers: the answer's time
                measurements.record(model, ttft / 1e6, response.usage().outputTokens(), (end - start) / 1e6);
                if (health != null) {
                    health.success(model, java.time.Duration.ofNanos(System.nanoTime() - start));
                }
                return new Routed(response, model, decision, hops, verdict, "", java.time.Duration.ofNanos(ttft));
            } catch (RuntimeException e) {
                if (hold != null) {
                    hold.failed(e);
                }
                // a streamed answer already reached the caller: it fails, it is not replaced
                String why = sink != null && e instanceof InvalidAnswerException ? null : canMoveOn(e);
                record(model, e, why, System.nanoTime() - start);
                if (why == null || i + 1 >= chain.size()) {
                    earlier.forEach(e::addSuppressed); // each model's own failure, not only the last one's
                    throw e;
                }
                earlier.add(new ModelFailedException(model.id(), e));
                hops.add(new Hop(model.id(), chain.get(i + 1).id(), why));
                LOG.info("fallback from {} to {}: {}", model.id(), chain.get(i + 1).id(), why);
            }
        }
    }

    private static SpendGate.Hold settle(SpendGate.Hold hold, ModelProfile model, ChatResponse response) {
        if (hold != null) {
            hold.settle(model, response.usage());
        }
        return null;
    }

    /** Measured time to first token and decode speed per model. */
    public Measurements measurements() {
        return measurements;
    }

    private static ChatSink timed(ChatSink sink, long[] firstToken) {
        return new ChatSink() {
            @Override
            public void onContent(String delta) {
                if (firstToken[0] == 0) {
                    firstToken[0] = System.nanoTime();
                }
                sink.onContent(delta);
            }

            @Override
            public void onReasoning(String delta) {
                if (firstToken[0] == 0) {
                    firstToken[0] = System.nanoTime();
                }
                sink.onReasoning(delta);
            }

            @Override
            public void onToolCall(dev.hearth.api.ToolCall call) {
                sink.onToolCall(call);
            }
        };
    }

    /** A failure counts against the model's health when it is the model's (not the request's) fault. */
    private void record(ModelProfile model, RuntimeException e, String why, long nanos) {
        if (health == null) {
            return;
        }
        if (e instanceof SpendRefusedException) {
            health.release(model.id()); // the budget's doing, not the model's
        } else if (e instanceof ProviderException p && p.retryAfter() != null) {
            health.coolDown(model.id(), p.retryAfter());
        } else if (why != null || e instanceof ProviderException.StreamBroken) {
            health.failure(model, java.time.Duration.ofNanos(nanos), e);
        } else {
            health.release(model.id()); // a bad request says nothing about the model
        }
    }

    /** Why the next model may succeed where this one failed, or null when it cannot (or must not be tried). */
    static String canMoveOn(RuntimeException e) {
        return switch (e) {
            case ProviderException.StreamBroken b -> null; // output already reached the caller
            case ProviderException.BadRequest b -> null;   // the request itself is wrong
            case ProviderException.TimedOut t when t.partial() != null -> null;
            case ProviderException.TimedOut t -> "timed out (" + t.phase().name().toLowerCase() + ")";
            case ProviderException.RateLimited r -> "rate limited";
            case ProviderException.Overloaded o -> "overloaded";
            case ProviderException.ServerError s -> "server error";
            case ProviderException.ConnectionFailed c -> "unreachable";
            case ProviderException.AuthenticationFailed a -> "the key was refused";
            case ProviderException.InsufficientBalance b -> "no balance left";
            case ContextOverflowException c -> "the request does not fit its context";
            // a local model that could not be loaded or served generated nothing yet: the next model may answer
            case dev.hearth.api.ModelUnavailableException u -> "unavailable: " + u.getMessage();
            case dev.hearth.api.InvalidModelException i -> "its file is damaged: " + i.getMessage();
            case InvalidAnswerException i -> "its answer does not match the schema: " + i.violations().getFirst();
            case SpendRefusedException b -> "over budget: " + b.getMessage();
            default -> null;
        };
    }
}
