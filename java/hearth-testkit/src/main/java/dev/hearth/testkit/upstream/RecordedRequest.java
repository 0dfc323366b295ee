package dev.hearth.testkit.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A request a fake upstream received, as sent.
 *
 * @param method   HTTP method
 * @param path     request path
 * @param headers  headers, names in lower case
 * @param body     the body as text
 * @param json     the body parsed (a missing node where it was not JSON)
 */
public record RecordedRequest(String method, String path, Map<String, String> headers, String body, JsonNode json) {
}
