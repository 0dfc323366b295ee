package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON schemas a local model cannot be held to, or that are not schemas at all, sent to the synthetic local model:
 * each is answered (200) or refused with a 400 in OpenAI's shape that names the problem; never a 5xx, and the server
 * answers a plain request afterwards.
 */
class SchemaRefusalsTest {
    private static final List<String> SCHEMAS = List.of(
            "{\"type\":\"string\",\"pattern\":\"(?<=a)b\"}",
            "{\"type\":\"string\",\"pattern\":\"[\"}",
            "{\"$ref\":\"#/definitions/missing\"}",
            "{\"$ref\":\"https://example.com/schema.json\"}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#\"}},\"required\":[\"a\"]}",
            "{\"type\":\"integer\",\"minimum\":10,\"maximum\":1}",
            "{\"type\":\"string\",\"minLength\":5,\"maxLength\":2}",
            "{\"type\":\"array\",\"minItems\":3,\"maxItems\":1}",
            "{\"type\":\"nonsense\"}",
            "{\"type\":\"string\",\"format\":\"no-such-format\"}",
            "{\"enum\":[]}",
            "{\"type\":\"string\",\"minLength\":100000000}",
            "{\"type\":\"array\",\"minItems\":100000000}",
            "{\"not\":{}}",
            "{\"allOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}",
            "true",
            "false",
            "[]",
            "\"string\"");

    @TempDir
    Path dir;

    @Test
    void unenforceableOrBrokenSchemasAreRefusedAsBadRequestsNeverAsServerErrors() throws Exception {
        try (LiveHearth live = LiveHearth.start(dir, Map.of("LLM_STRATEGY", "local_only"))) {
            for (String schema : SCHEMAS) {
                HttpResponse<String> r = live.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Answer.\"}],\"response_format\":{\"type\":"
                        + "\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":" + schema + "}}}");
                assertThat(r.statusCode()).as(schema + " -> " + r.body()).isIn(200, 400);
                if (r.statusCode() == 400) {
                    JsonNode error = LiveHearth.JSON.readTree(r.body()).path("error");
                    assertThat(error.path("type").asText()).as(schema).isEqualTo("invalid_request_error");
                    assertThat(error.path("message").asText()).as(schema).isNotBlank().doesNotContain("Exception");
                }
            }
            HttpResponse<String> after = live.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":4,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        }
    }
}
