package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ToolCall;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote model behind the server, the vendor faked on loopback in its own wire format: tool calls whole and
 * streamed, tool results sent on, and a vendor's failure as the status OpenAI's SDKs expect.
 */
class RemoteModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOLS = "'tools':[{'type':'function','function':{'name':'lookup','description':"
            + "'search','parameters':{'type':'object','properties':{'q':{'type':'string'}}}}}]";

    @TempDir
    Path dir;
    private FakeAnthropicServer fake;
    private Hearth hearth;
    private HearthServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAnthropicServer("server-key");
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY",
                "server-key", "ANTHROPIC_BASE_URL", fake.baseUri().toString()));
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        hearth.close();
        fake.close();
    }

    private HttpResponse<String> chat(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aToolCallComesBackWholeAndItsResultGoesOnToTheVendor() throws Exception {
        fake.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("t1", "lookup", "{\"q\":\"oslo\"}"))));
        HttpResponse<String> res = chat("{'model':'claude-sonnet-4-6','messages':[{'role':'user','content':'Find Oslo'}],"
                + TOOLS + "}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("x-hearth-route")).hasValue("remote");
        assertThat(res.headers().firstValue("x-hearth-model")).hasValue("claude-sonnet-4-6");
        JsonNode choice = JSON.readTree(res.body()).at("/choices/0");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.at("/message/content").isNull()).isTrue();
        JsonNode call = choice.at("/message/tool_calls/0");
        assertThat(call.get("id").asText()).isEqualTo("t1");
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("lookup");
        assertThat(JSON.readTree(call.at("/function/arguments").asText())).isEqualTo(JSON.readTree("{\"q\":\"oslo\"}"));
        hearth.flushCalls(); // a call's end is written off its request path
        var record = hearth.ledger().call(res.headers().firstValue("x-hearth-call-id").orElseThrow()).orElseThrow();
        assertThat(record.entryPoint()).isEqualTo(EntryPoint.HTTP);
        // who answered and why, what it cost: the same numbers as the ledger's
        assertThat(res.headers().firstValue("x-hearth-request-id")).hasValue(record.id());
        assertThat(res.headers().firstValue("x-hearth-provider")).hasValue("anthropic");
        assertThat(res.headers().firstValue("x-hearth-local")).hasValue("false");
        assertThat(res.headers().firstValue("x-hearth-fallbacks")).hasValue("0");
        assertThat(res.headers().firstValue("x-hearth-route-reason")).hasValueSatisfying(r -> assertThat(r)
                .isNotBlank().matches("[\\x20-\\x7e]+"));
        assertThat(new java.math.BigDecimal(res.headers().firstValue("x-hearth-cost-usd").orElseThrow()))
                .isPositive().isEqualByComparingTo(record.costUsd());

        fake.enqueue(FakeReply.text("Oslo is in Norway."));
        HttpResponse<String> next = chat("{'model':'claude-sonnet-4-6','messages':[{'role':'user','content':'Find Oslo'},"
                + "{'role':'assistant','content':null,'tool_calls':[{'id':'t1','type':'function','function':{'name':"
                + "'lookup','arguments':'{}'}}]},{'role':'tool','tool_call_id':'t1','content':'Oslo: Norway'}]," + TOOLS
                + "}");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(JSON.readTree(next.body()).at("/choices/0/message/content").asText()).isEqualTo("Oslo is in Norway.");
        String sent = fake.lastRequest().body();
        assertThat(sent).contains("tool_result").contains("Oslo: Norway").contains("t1");
    }

    @Test
    void aStreamedToolCallIsOneDeltaWithItsIndexThenTheFinishReason() throws Exception {
        fake.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("t1", "lookup", "{\"q\":\"oslo\"}"),
                new ToolCall("t2", "lookup", "{\"q\":\"bergen\"}"))));
        HttpResponse<String> res = chat("{'model':'claude-sonnet-4-6','stream':true,'messages':[{'role':'user',"
                + "'content':'Find Oslo and Bergen'}]," + TOOLS + "}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        List<JsonNode> calls = new ArrayList<>();
        String finish = null;
        for (String block : res.body().split("\n\n")) {
            String data = block.substring("data: ".length());
            if (data.equals("[DONE]")) {
                continue;
            }
            JsonNode chunk = JSON.readTree(data);
            chunk.at("/choices/0/delta/tool_calls").forEach(calls::add);
            if (chunk.at("/choices/0/finish_reason").isTextual()) {
                finish = chunk.at("/choices/0/finish_reason").asText();
            }
        }
        assertThat(calls).extracting(c -> c.get("index").asInt()).containsExactly(0, 1);
        assertThat(calls).extracting(c -> c.get("id").asText()).containsExactly("t1", "t2");
        assertThat(calls).extracting(c -> c.at("/function/name").asText()).containsOnly("lookup");
        assertThat(finish).isEqualTo("tool_calls");
        // the stream's headers named the call before its first token: the call the ledger has
        String id = res.headers().firstValue("x-hearth-request-id").orElseThrow();
        assertThat(res.headers().firstValue("x-hearth-call-id")).hasValue(id);
        hearth.flushCalls();
        assertThat(hearth.ledger().call(id)).hasValueSatisfying(c -> assertThat(c.model())
                .isEqualTo("claude-sonnet-4-6"));
    }

    private HttpResponse<String> respond(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/responses"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final String FLAT_TOOLS = "'tools':[{'type':'function','name':'lookup','description':'search',"
            + "'parameters':{'type':'object','properties':{'q':{'type':'string'}}},'strict':false}]";

    @Test
    void theResponsesApiGivesReasoningAndFunctionCallItemsWholeAndStreamedAndSendsTheirOutputsOn() throws Exception {
        FakeReply reply = FakeReply.text("Looking.").withReasoning("Search first.")
                .withToolCalls(List.of(new ToolCall("t1", "lookup", "{\"q\":\"oslo\"}")));
        fake.enqueue(reply);
        HttpResponse<String> res = respond("{'model':'claude-sonnet-4-6','input':'Find Oslo'," + FLAT_TOOLS + "}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.headers().firstValue("x-hearth-route")).hasValue("remote");
        JsonNode whole = JSON.readTree(res.body());
        assertThat(whole.get("output")).extracting(i -> i.get("type").asText())
                .containsExactly("reasoning", "message", "function_call");
        assertThat(whole.at("/output/0/content/0/text").asText()).isEqualTo("Search first.");
        assertThat(whole.at("/output/1/content/0/text").asText()).isEqualTo("Looking.");
        JsonNode call = whole.at("/output/2");
        assertThat(call.get("call_id").asText()).isEqualTo("t1");
        assertThat(call.get("name").asText()).isEqualTo("lookup");
        assertThat(JSON.readTree(call.get("arguments").asText())).isEqualTo(JSON.readTree("{\"q\":\"oslo\"}"));
        assertThat(whole.at("/tools/0/name").asText()).isEqualTo("lookup");

        fake.enqueue(reply);
        HttpResponse<String> streamed = respond("{'model':'claude-sonnet-4-6','input':'Find Oslo','stream':true,"
                + FLAT_TOOLS + "}");
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        JsonNode last = null;
        for (String block : streamed.body().split("\n\n")) {
            String[] lines = block.split("\n");
            assertThat(lines[0]).startsWith("event: ");
            last = JSON.readTree(lines[1].substring("data: ".length()));
            assertThat(last.get("type").asText()).isEqualTo(lines[0].substring("event: ".length()));
            types.add(last.get("type").asText());
        }
        assertThat(types).contains("response.reasoning_text.delta", "response.output_text.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done");
        assertThat(types.getLast()).isEqualTo("response.completed");
        JsonNode done = last.get("response");
        assertThat(done.get("output")).extracting(i -> i.get("type").asText())
                .containsExactly("reasoning", "message", "function_call");
        assertThat(done.at("/output/2/arguments").asText()).isEqualTo(call.get("arguments").asText());
        assertThat(done.get("usage")).isEqualTo(whole.get("usage"));

        fake.enqueue(FakeReply.text("Oslo is in Norway."));
        HttpResponse<String> next = respond("{'model':'claude-sonnet-4-6','input':[{'role':'user','content':'Find Oslo'},"
                + call + ",{'type':'function_call_output','call_id':'t1','output':'Oslo: Norway'}]," + FLAT_TOOLS + "}");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(JSON.readTree(next.body()).at("/output/0/content/0/text").asText()).isEqualTo("Oslo is in Norway.");
        assertThat(fake.lastRequest().body()).contains("tool_result").contains("Oslo: Norway").contains("t1");
    }

    @Test
    void theVendorRefusingTheRequestIsA400AndAWrongVendorKeyA502() throws Exception {
        fake.enqueue(FakeReply.failing(Fault.status(400, "invalid_request_error", "prompt is too long")));
        HttpResponse<String> refused = chat("{'model':'claude-sonnet-4-6','messages':[{'role':'user','content':'x'}]}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/error/message").asText()).contains("prompt is too long");

        fake.enqueue(FakeReply.failing(Fault.status(401, "authentication_error", "invalid x-api-key")));
        HttpResponse<String> unauthorised = chat("{'model':'claude-sonnet-4-6','messages':[{'role':'user','content':'y'}]}");
        assertThat(unauthorised.statusCode()).as(unauthorised.body()).isEqualTo(502);
        assertThat(JSON.readTree(unauthorised.body()).at("/error/code").asText()).isEqualTo("upstream_error");
        assertThat(unauthorised.body()).doesNotContain("server-key").doesNotContain("at dev.hearth");
    }
}
