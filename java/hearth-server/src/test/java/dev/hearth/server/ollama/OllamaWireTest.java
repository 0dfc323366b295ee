package dev.hearth.server.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.server.openai.ApiError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hearth's answers in Ollama's shapes, without sockets. */
class OllamaWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private static final OllamaWire.Answered WHO = new OllamaWire.Answered("tiny", true, "call-1");

    private static ChatResponse answer(StopReason reason, List<ToolCall> calls) {
        return new ChatResponse("", "tiny", "Hello.", "hmm", "", calls, reason, "", new Usage(10, 4, 2, 0, 0));
    }

    @Test
    void theLastChatObjectHasTheWholeAnswerCountsAndTimingsInNanoseconds() throws Exception {
        JsonNode done = OllamaWire.done(OllamaWire.Kind.CHAT, "tiny", AT,
                answer(StopReason.TOOL_USE, List.of(new ToolCall("t1", "f", "{\"a\":1}"))), true,
                new OllamaWire.Timings(Duration.ofMillis(300), Duration.ofMillis(100)), WHO);
        assertThat(JSON.readTree(done.toString())).as("longs and ints alike").isEqualTo(JSON.readTree("""
                {"model":"tiny","created_at":"2026-01-02T03:04:05.123456789Z",
                 "message":{"role":"assistant","content":"Hello.","thinking":"hmm",
                   "tool_calls":[{"id":"t1","function":{"name":"f","arguments":{"a":1}}}]},
                 "done":true,"done_reason":"stop","total_duration":300000000,"load_duration":0,
                 "prompt_eval_count":12,"prompt_eval_duration":100000000,"eval_count":4,"eval_duration":200000000,
                 "hearth":{"call_id":"call-1","model":"tiny","route":"local"}}"""));
    }

    @Test
    void aStreamsLastGenerateObjectHasNoTextAndALengthStopSaysSo() {
        JsonNode done = OllamaWire.done(OllamaWire.Kind.GENERATE, "tiny", AT, answer(StopReason.MAX_TOKENS, List.of()),
                false, new OllamaWire.Timings(Duration.ofMillis(50), Duration.ofMillis(80)), WHO);
        assertThat(done.get("response").asText()).isEmpty();
        assertThat(done.has("thinking")).isFalse();
        assertThat(done.get("done_reason").asText()).isEqualTo("length");
        assertThat(done.get("context").isArray()).isTrue();
        assertThat(done.get("prompt_eval_duration").asLong()).as("never past the total").isEqualTo(50_000_000L);
        assertThat(done.get("eval_duration").asLong()).isZero();
    }

    @Test
    void deltasCarryTextReasoningOrACall() throws Exception {
        assertThat(OllamaWire.delta(OllamaWire.Kind.CHAT, "tiny", AT, "Hel", "", List.of())).isEqualTo(JSON.readTree(
                "{\"model\":\"tiny\",\"created_at\":\"2026-01-02T03:04:05.123456789Z\",\"message\":{\"role\":"
                        + "\"assistant\",\"content\":\"Hel\"},\"done\":false}"));
        assertThat(OllamaWire.delta(OllamaWire.Kind.GENERATE, "tiny", AT, "", "think", List.of()).get("thinking")
                .asText()).isEqualTo("think");
        assertThat(OllamaWire.delta(OllamaWire.Kind.CHAT, "tiny", AT, "", "", List.of(new ToolCall("c", "f", "")))
                .at("/message/tool_calls/0/function/arguments")).isEqualTo(JSON.readTree("{}"));
    }

    @Test
    void anErrorIsOneMessage() {
        assertThat(OllamaWire.error(ApiError.unknownModel("no model \"x\"")).toString())
                .isEqualTo("{\"error\":\"no model \\\"x\\\"\"}");
    }

    @Test
    void aLoadedModelWithNoExpiryIsKeptForeverInPs() {
        var entry = new ModelsWire.Entry("tiny", 10, Instant.EPOCH, "gguf", "llama");
        JsonNode ps = ModelsWire.ps(List.of(new ModelsWire.Loaded(entry, 100, 40, null)));
        assertThat(ps.at("/models/0/expires_at").asText()).startsWith("2318-");
        assertThat(ps.at("/models/0/size_vram").asLong()).isEqualTo(40);
        assertThat(ps.at("/models/0/details/family").asText()).isEqualTo("llama");
    }
}
