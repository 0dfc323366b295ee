package dev.hearth.langchain4j;

import dev.hearth.router.FallbackChain;
import dev.hearth.router.RouteDecision;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * LangChain4j's answer metadata with Hearth's account of the call: which model answered, whether anything left the
 * machine and to whom, why the router chose it, the fallbacks taken, what was redacted, what it cost, and the call's id
 * in the ledger. Immutable.
 */
public final class HearthChatResponseMetadata extends ChatResponseMetadata {
    private final FallbackChain.Routed routed;
    private final BigDecimal costUsd;

    private HearthChatResponseMetadata(Builder builder) {
        super(builder);
        this.routed = Objects.requireNonNull(builder.routed, "routed");
        this.costUsd = builder.costUsd;
    }

    /** The whole answer as the runtime gave it: the decision, the hops, the privacy verdict, the cache's part. */
    public FallbackChain.Routed routed() {
        return routed;
    }

    /** The route decision: who was chosen and why. */
    public RouteDecision decision() {
        return routed.decision();
    }

    /** The id of the model that answered (after any fallback). */
    public String answeredBy() {
        return routed.answeredBy().id();
    }

    /** The provider of the model that answered ("local" models run on this machine). */
    public String provider() {
        return routed.answeredBy().provider();
    }

    /** Whether the answer was generated on this machine. */
    public boolean local() {
        return routed.answeredBy().local();
    }

    /** Who the request was sent to ("" when nothing left the machine). */
    public String sentTo() {
        return routed.sentTo();
    }

    /** Why the router chose as it did. */
    public String reason() {
        return routed.decision().reason();
    }

    /** What the answer cost in US dollars (zero on this machine); empty when the price table lacks the model. */
    public Optional<BigDecimal> costUsd() {
        return Optional.ofNullable(costUsd);
    }

    /** The call's id in the ledger ("" when it was not recorded). */
    public String callId() {
        return routed.callId();
    }

    /** What the credentials found in the request were (redacted before it was sent, by default). */
    public List<String> redacted() {
        return routed.privacy() == null ? List.of() : routed.privacy().findings();
    }

    /** Warnings to show with the answer (where it was sent, what to check). */
    public List<String> labels() {
        return routed.labels();
    }

    @Override
    public Builder toBuilder() {
        return (Builder) toBuilder(builder().routed(routed).costUsd(costUsd));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HearthChatResponseMetadata other && super.equals(o) && routed.equals(other.routed)
                && Objects.equals(costUsd, other.costUsd);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), routed, costUsd);
    }

    @Override
    public String toString() {
        return "HearthChatResponseMetadata{" + super.toString() + ", answeredBy=" + answeredBy() + ", sentTo="
                + sentTo() + ", reason=" + reason() + ", costUsd=" + costUsd + ", callId=" + callId() + "}";
    }

    /** LangChain4j's builder with Hearth's fields. */
    public static final class Builder extends ChatResponseMetadata.Builder<Builder> {
        private FallbackChain.Routed routed;
        private BigDecimal costUsd;

        public Builder routed(FallbackChain.Routed r) {
            this.routed = r;
            return this;
        }

        public Builder costUsd(BigDecimal cost) {
            this.costUsd = cost;
            return this;
        }

        @Override
        public HearthChatResponseMetadata build() {
            return new HearthChatResponseMetadata(this);
        }
    }
}
