package dev.hearth.ledger;

/**
 * Trace event and attribute names. Attributes follow OpenTelemetry's GenAI semantic conventions
 * ({@code gen_ai.*}) and its general {@code error.type}; Hearth's own attributes and events are under
 * {@code hearth.*}.
 */
public final class GenAi {
    public static final String OPERATION_NAME = "gen_ai.operation.name";
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String RESPONSE_MODEL = "gen_ai.response.model";
    public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    public static final String ERROR_TYPE = "error.type";
    public static final String HEARTH_CALL_ID = "hearth.call.id";
    public static final String HEARTH_ROUTE = "hearth.route";
    public static final String HEARTH_COST_USD = "hearth.cost_usd";
    public static final String HEARTH_BUDGET = "hearth.budget";
    /** Milliseconds from a call's start to its first token (on {@link #EVENT_FIRST_TOKEN}). */
    public static final String HEARTH_TTFT_MS = "hearth.ttft_ms";
    /** Who made an operator's change: an API key's name, or {@code loopback}. */
    public static final String HEARTH_ACTOR = "hearth.actor";
    /** The call id the admin trail's events are kept under. */
    public static final String ADMIN_TRAIL = "admin";

    public static final String EVENT_CALL_START = "hearth.call.start";
    /** Written with the call's end, stamped at the moment its first token came ({@link #HEARTH_TTFT_MS}). */
    public static final String EVENT_FIRST_TOKEN = "hearth.call.first_token";
    public static final String EVENT_CALL_END = "hearth.call.end";
    public static final String EVENT_CALL_ERROR = "hearth.call.error";
    public static final String EVENT_FALLBACK = "hearth.fallback";
    public static final String EVENT_REDACTED = "hearth.privacy.redacted";
    public static final String EVENT_REFUSED = "hearth.privacy.refused";
    public static final String EVENT_BUDGET_REFUSED = "hearth.budget.refused";
    public static final String EVENT_SOFT_LIMIT = "hearth.budget.soft_limit";
    public static final String EVENT_CIRCUIT_OPEN = "hearth.circuit.open";
    public static final String EVENT_CIRCUIT_CLOSE = "hearth.circuit.close";
    /** A call the response cache answered: {@code hearth.cache.kind} (exact or semantic), key, saving, similarity. */
    public static final String EVENT_CACHE_HIT = "hearth.cache.hit";

    private GenAi() {
    }
}
