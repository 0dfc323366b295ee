package dev.hearth.router;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a decision: the chosen model, then each fallback in order, moving on only for failures another model can fix
 * (unavailable, rate limited, overloaded, timed out before any output, a context too small, a rejected key or an
 * empty balance at one vendor) and stopping for those it cannot (a bad request) or must not retry (a stream that
 * already reached the caller). Every hop is reported in the result.
 */
public final class FallbackChain {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackChain.class);

    /** One move to the next model: from, to, and why. */
    public record Hop(String from, String to, String why) {
    }

    /**
     * The answer, the model that gave it, the decision that was made, the hops on the way, and what the privacy guard
     * did when the answer came from outside the machine (null when it did not).
     */
    public record Routed(ChatResponse response, ModelProfile answeredBy, RouteDecision decision, List<Hop> hops,
            PrivacyGuard.Verdict privacy) {
        public Routed {
            hops = List.copyOf(hops);
        }

        /** Whether any of the request left the machine, and to whom ("" when it did not). */
        public String sentTo() {
            return answeredBy.local() ? "" : answeredBy.provider();
        }
    }

    private final Function<ModelProfile, ChatBackend> backends;
    private final PrivacyGuard guard;

    /** A chain that redacts credentials from anything it sends out. */
    public FallbackChain(Function<ModelProfile, ChatBackend> backends) {
        this(backends, new PrivacyGuard(PrivacyGuard.Policy.REDACT));
    }

    /** @param backends the backend that serves a model (one per provider, typically) */
    public FallbackChain(Function<ModelProfile, ChatBackend> backends, PrivacyGuard guard) {
        this.backends = backends;
        this.guard = guard;
    }

    /** Runs the request along the decision's chain; {@code sink} null answers in one piece. */
    public Routed execute(ChatRequest request, RouteDecision decision, ChatSink sink) throws InterruptedException {
        if (decision instanceof RouteDecision.Reject reject) {
            throw new RouteRejectedException(reject);
        }
        List<ModelProfile> chain = decision.chain();
        List<Hop> hops = new ArrayList<>();
        for (int i = 0; ; i++) {
            ModelProfile model = chain.get(i);
            ChatRequest forModel = request.withModel(model.model());
            PrivacyGuard.Verdict verdict = null;
            if (!model.local()) {
                verdict = guard.check(forModel);
                if (verdict.action() == PrivacyGuard.Policy.REFUSE) {
                    throw new PrivacyRefusedException(model.provider(), verdict.findings());
                }
                forModel = verdict.request();
            }
            try {
                ChatBackend backend = backends.apply(model);
                ChatResponse response = sink == null ? backend.chat(forModel) : backend.stream(forModel, sink);
                return new Routed(response, model, decision, hops, verdict);
            } catch (RuntimeException e) {
                String why = canMoveOn(e);
                if (why == null || i + 1 >= chain.size()) {
                    throw e;
                }
                hops.add(new Hop(model.id(), chain.get(i + 1).id(), why));
                LOG.info("fallback from {} to {}: {}", model.id(), chain.get(i + 1).id(), why);
            }
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
            default -> null;
        };
    }
}
