package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server on loopback (an ephemeral port) with the synthetic tiny model, spoken to by the JDK's HTTP client: shapes,
 * headers, status codes and the ledger, never what the random model writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HearthServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_LIMIT = 64 * 1024;

    @TempDir
    static Path dir;
    private Hearth hearth;
    private HearthServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME",
                "tiny", "HEARTH_CACHE", "off")); // greedy requests repeat across tests: each is the model's own
        server = HearthServer.start(hearth, new ServerSettings("127.0.0.1", 0, BODY_LIMIT,
                java.time.Duration.ofSeconds(5)));
    }

    @AfterAll
    void stop() {
        server.close();
        hearth.close();
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(String body) throws Exception {
        return post("/chat/completions", "application/json", body.replace('\'', '"'));
    }

    private static final String GREEDY = "{'model':'tiny','messages':[{'role':'system','content':'Be brief.'},"
            + "{'role':'user','content':'Say hello.'}],'max_tokens':8,'temperature':0,'seed':1";

    @Test
    void theSameSeedAtTemperatureOneGivesTheSameAnswer() throws Exception {
        String body = "{'model':'tiny','messages':[{'role':'user','content':'Tell a story.'}],'max_tokens':16,"
                + "'temperature':1,'top_p':1,'seed':987654321}";
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> res = chat(body);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            answers.add(JSON.readTree(res.body()).at("/choices/0/message/content").asText());
        }
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
    }

    @Test
    void aCompletionSaysWhoAnsweredAndIsInTheLedger() throws Exception {
        HttpResponse<String> res = chat(GREEDY + "}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(res.headers().firstValue("x-hearth-model")).hasValue("tiny");
        assertThat(res.headers().firstValue("x-hearth-route")).hasValue("local");
        String callId = res.headers().firstValue("x-hearth-call-id").orElseThrow();
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("id").asText()).isEqualTo("chatcmpl-" + callId);
        assertThat(body.get("model").asText()).isEqualTo("tiny");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").isTextual()).isTrue();
        assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        JsonNode usage = body.get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isPositive();
        assertThat(usage.get("completion_tokens").asLong()).isBetween(1L, 8L);
        assertThat(usage.get("total_tokens").asLong())
                .isEqualTo(usage.get("prompt_tokens").asLong() + usage.get("completion_tokens").asLong());
        hearth.flushCalls(); // local calls are recorded just after they answer
        CallRecord call = hearth.ledger().call(callId).orElseThrow();
        assertThat(call.entryPoint()).isEqualTo(EntryPoint.HTTP);
        assertThat(call.model()).isEqualTo("tiny");
        assertThat(call.tokens().input()).isEqualTo(usage.get("prompt_tokens").asLong());
        assertThat(call.tokens().output()).isEqualTo(usage.get("completion_tokens").asLong());
    }

    @Test
    void aStreamedAnswerIsTheWholeAnswerInChunksThenUsageThenDone() throws Exception {
        JsonNode whole = JSON.readTree(chat(GREEDY + "}").body());
        HttpResponse<String> res = chat(GREEDY + ",'stream':true,'stream_options':{'include_usage':true}}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(res.headers().firstValue("x-hearth-model")).hasValue("tiny");
        assertThat(res.headers().firstValue("x-hearth-route")).hasValue("local");
        List<String> events = new ArrayList<>();
        for (String block : res.body().split("\n\n")) {
            assertThat(block).startsWith("data: ");
            events.add(block.substring("data: ".length()));
        }
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) {
            chunks.add(JSON.readTree(e));
        }
        String id = chunks.getFirst().get("id").asText();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).isEqualTo(id);
        });
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        StringBuilder content = new StringBuilder();
        for (JsonNode c : chunks.subList(0, chunks.size() - 1)) {
            content.append(c.at("/choices/0/delta/content").asText(""));
        }
        assertThat(content.toString()).as("greedy: streamed = whole")
                .isEqualTo(whole.at("/choices/0/message/content").asText());
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.at("/choices/0/finish_reason").asText())
                .isEqualTo(whole.at("/choices/0/finish_reason").asText());
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage")).isEqualTo(whole.get("usage"));
        String callId = usage.at("/hearth/call_id").asText();
        hearth.flushCalls(); // local calls are recorded just after they answer
        assertThat(hearth.ledger().call(callId)).hasValueSatisfying(call -> {
            assertThat(call.entryPoint()).isEqualTo(EntryPoint.HTTP);
            assertThat(call.tokens().output()).isEqualTo(usage.at("/usage/completion_tokens").asLong());
        });
    }

    @Test
    void aStreamWithoutIncludeUsageEndsWithTheFinishChunk() throws Exception {
        HttpResponse<String> res = chat(GREEDY + ",'stream':true}");
        String[] blocks = res.body().split("\n\n");
        assertThat(blocks[blocks.length - 1]).isEqualTo("data: [DONE]");
        JsonNode last = JSON.readTree(blocks[blocks.length - 2].substring(6));
        assertThat(last.at("/choices/0/finish_reason").asText()).isIn("stop", "length");
        assertThat(last.has("usage")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {'model':'tiny','messages':[{'role':'user','content':'hi'}],'temperature':5}   | 400 | temperature | between 0 (greedy) and 2
            {'model':'tiny','messages':[{'role':'user','content':'hi'}],'max_tokens':-1}   | 400 | max_tokens  | from 1 to
            {'model':'tiny','messages':[{'role':'wizard','content':'hi'}]}                 | 400 | messages[0].role | system, developer, user
            {'model':'tiny','messages':[{'role':'user','content':'hi'}                     | 400 |             | not valid JSON
            {'model':'tiny','model':'tiny','messages':[{'role':'user','content':'hi'}]}    | 400 |             | Duplicate field
            {'model':'no-such-model','messages':[{'role':'user','content':'hi'}]}          | 404 | model       | no model "no-such-model"
            {'model':'/etc/passwd.gguf','messages':[{'role':'user','content':'hi'}]}       | 404 | model       | is a file path
            {'model':'no-such-model','stream':true,'messages':[{'role':'user','content':'hi'}]} | 404 | model  | no model
            """)
    void badRequestsGetTheirStatusAndOpenAisErrorShape(String body, int status, String param, String message)
            throws Exception {
        HttpResponse<String> res = chat(body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = JSON.readTree(res.body()).get("error");
        assertThat(error.get("message").asText()).contains(message);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asText()).isEqualTo(param);
        assertThat(error.get("code").asText()).isNotBlank();
    }

    @Test
    void aBodyOverTheLimitIsRefusedAndTheServerStillServes() throws Exception {
        String huge = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(BODY_LIMIT)
                + "\"}]}";
        HttpResponse<String> res = post("/chat/completions", "application/json", huge);
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(res.body()).at("/error/code").asText()).isEqualTo("request_too_large");
        assertThat(chat(GREEDY + "}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyThatIsNotJsonByItsContentTypeIsRefused() throws Exception {
        HttpResponse<String> res = post("/chat/completions", "application/x-www-form-urlencoded", "model=tiny");
        assertThat(res.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(res.body()).at("/error/message").asText()).contains("application/json");
    }

    @Test
    void invalidUtf8IsRefused() throws Exception {
        byte[] body = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"\u00ff\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("not valid UTF-8");
    }

    @Test
    void deepJsonIsRefusedBeforeItIsBuilt() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        HttpResponse<String> res = post("/chat/completions", "application/json", deep);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(res.body()).at("/error/message").asText()).contains("not valid JSON");
    }

    @Test
    void theModelListHasAutoAndTheLocalModel() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("object").asText()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        body.get("data").forEach(m -> ids.add(m.get("id").asText()));
        assertThat(ids).contains("auto", "tiny");
        assertThat(body.get("data").get(0).get("object").asText()).isEqualTo("model");
    }

    @Test
    void anUnknownRouteIsA404InTheSameShape() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/nothing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(res.body()).at("/error/code").asText()).isEqualTo("unknown_route");
    }
}
