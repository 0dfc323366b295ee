package dev.hearth.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ProviderException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;

/** Turns a vendor's error answer into the typed exception the router acts on. One place for every client. */
final class ErrorMapper {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorMapper() {
    }

    static ProviderException map(String provider, int status, HttpHeaders headers, String body, Clock clock) {
        String message = message(body, status);
        Duration wait = Waits.from(headers, clock);
        return switch (status) {
            case 401, 403 -> new ProviderException.AuthenticationFailed(provider, status, message);
            case 402 -> new ProviderException.InsufficientBalance(provider, message);
            case 429 -> new ProviderException.RateLimited(provider, message, wait);
            case 529 -> new ProviderException.Overloaded(provider, status, message, wait);
            case 503 -> new ProviderException.Overloaded(provider, status, message, wait);
            default -> status >= 500
                    ? new ProviderException.ServerError(provider, status, message, null)
                    : new ProviderException.BadRequest(provider, status, message);
        };
    }

    /** An error event inside a 200 stream (Anthropic's {@code event: error}, an OpenAI-style error chunk). */
    static ProviderException fromStreamError(String provider, JsonNode error) {
        String type = error.path("type").asText("");
        String message = error.path("message").asText("error event in the stream");
        return switch (type) {
            case "overloaded_error" -> new ProviderException.Overloaded(provider, 529, message, null);
            case "rate_limit_error" -> new ProviderException.RateLimited(provider, message, null);
            case "authentication_error", "permission_error" ->
                    new ProviderException.AuthenticationFailed(provider, 401, message);
            case "invalid_request_error" -> new ProviderException.BadRequest(provider, 400, message);
            default -> new ProviderException.ServerError(provider, 200, type.isEmpty() ? message : type + ": " + message,
                    null);
        };
    }

    /** The vendor's own message ({"error": {"message": ...}} in both formats), else the status and a body excerpt. */
    static String message(String body, int status) {
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode error = n.path("error");
            if (error.isObject() && error.hasNonNull("message")) {
                String type = error.path("type").asText("");
                return "HTTP " + status + (type.isEmpty() ? "" : " " + type) + ": " + error.get("message").asText();
            }
            if (error.isTextual()) {
                return "HTTP " + status + ": " + error.asText();
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            // fall through
        }
        String excerpt = body == null ? "" : body.strip();
        return "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt.substring(0, Math.min(300, excerpt.length())));
    }
}
