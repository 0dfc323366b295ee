package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.EngineOverloadedException;
import dev.hearth.api.ModelUnavailableException;
import dev.hearth.api.ProviderException;
import dev.hearth.router.PrivacyRefusedException;
import dev.hearth.router.RouteRejectedException;
import dev.hearth.router.SpendRefusedException;
import dev.hearth.schema.InvalidAnswerException;
import dev.hearth.schema.UnenforceableSchemaException;
import java.time.Duration;

/**
 * An error as OpenAI's API and SDKs know it: the HTTP status each SDK maps to its exception class (400
 * BadRequestError, 403 PermissionDeniedError, 404 NotFoundError, 413, 429 RateLimitError, 5xx InternalServerError),
 * and the body {@code {"error": {"message", "type", "param", "code"}}}. Never a stack trace.
 *
 * @param retryAfter  sent as {@code retry-after} (seconds), or null
 */
public record ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {
    public ApiError(int status, String type, String code, String message) {
        this(status, type, code, null, message, null);
    }

    /** The model a request named is none Hearth knows or can resolve. */
    public static ApiError unknownModel(String message) {
        return new ApiError(404, "invalid_request_error", "model_not_found", "model", message, null);
    }

    /** What a failure means to the client; {@code unexpected} is a bug in Hearth (the caller logs it). */
    public static ApiError of(Throwable failure) {
        return switch (failure) {
            case Refusal r -> r.error();
            case BadRequest b -> new ApiError(b.status(), "invalid_request_error", b.code(), b.param(),
                    b.getMessage(), null);
            case EngineOverloadedException e -> new ApiError(503, "server_error", "overloaded", null, e.getMessage(),
                    e.retryAfter());
            case ContextOverflowException e -> new ApiError(400, "invalid_request_error", "context_length_exceeded",
                    "messages", e.getMessage(), null);
            case UnenforceableSchemaException e -> new ApiError(400, "invalid_request_error", "unenforceable_schema",
                    "response_format", e.getMessage(), null);
            case RouteRejectedException e -> new ApiError(400, "invalid_request_error", "route_rejected",
                    e.getMessage());
            case PrivacyRefusedException e -> new ApiError(403, "permission_error", "privacy_refused", e.getMessage());
            case SpendRefusedException e -> new ApiError(429, "insufficient_quota", "insufficient_quota",
                    e.getMessage());
            case InvalidAnswerException e -> new ApiError(502, "server_error", "invalid_answer", e.getMessage());
            case ModelUnavailableException e -> new ApiError(503, "server_error", "model_unavailable",
                    e.getMessage());
            case ProviderException e -> upstream(e);
            case dev.hearth.ledger.LedgerException e -> new ApiError(503, "server_error", "ledger_unavailable", null,
                    "the ledger (calls, budgets, API keys) cannot be read now: " + e.getMessage() + "; the operator"
                    + " should check HEARTH_LEDGER_PATH or HEARTH_DATABASE_URL", java.time.Duration.ofSeconds(5));
            case dev.hearth.api.CallCancelledException e -> new ApiError(499, "invalid_request_error", "cancelled",
                    e.getMessage());
            case InterruptedException e -> new ApiError(503, "server_error", "shutting_down",
                    "the server is shutting down; send the request again to another instance or later");
            case IllegalArgumentException e -> new ApiError(400, "invalid_request_error", "invalid_request",
                    e.getMessage());
            default -> new ApiError(500, "server_error", "internal_error", "Hearth failed unexpectedly ("
                    + failure.getClass().getSimpleName() + "); the server log has the details");
        };
    }

    /** A vendor's failure, as the status its own SDK would have raised, so a client's retry logic still works. */
    private static ApiError upstream(ProviderException e) {
        return switch (e) {
            case ProviderException.RateLimited r -> new ApiError(429, "rate_limit_error", "upstream_rate_limited",
                    null, e.getMessage(), r.retryAfter());
            case ProviderException.Overloaded o -> new ApiError(503, "server_error", "upstream_overloaded", null,
                    e.getMessage(), o.retryAfter());
            case ProviderException.BadRequest b -> new ApiError(400, "invalid_request_error", "upstream_bad_request",
                    e.getMessage());
            case ProviderException.InsufficientBalance b -> new ApiError(429, "insufficient_quota",
                    "upstream_insufficient_balance", e.getMessage());
            case ProviderException.TimedOut t -> new ApiError(504, "server_error", "upstream_timeout",
                    e.getMessage());
            default -> new ApiError(502, "server_error", "upstream_error", e.getMessage());
        };
    }

    /** The same error answered with another status (a wire format whose clients expect another one). */
    public ApiError withStatus(int s) {
        return new ApiError(s, type, code, param, message, retryAfter);
    }

    public ObjectNode body() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode error = out.putObject("error").put("message", message == null ? type : message).put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        return out;
    }
}
