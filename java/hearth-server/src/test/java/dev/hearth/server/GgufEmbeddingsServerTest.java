package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.runtime.Hearth;
import dev.hearth.runtime.Vectors;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GGUF embedding model (a synthetic one that declares mean pooling, in the model cache beside a chat model) served
 * by {@code /v1/embeddings} and {@code /api/embed}: listed in {@code /v1/models}, its vectors the Java API's for the
 * same texts (floats and base64 alike), bad inputs refused in OpenAI's shape before native code, and each request a
 * call in the ledger with its input tokens and its key's name, counted against the key's tokens per minute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GgufEmbeddingsServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "tiny-embed";
    /** The embedding model's context: a text of more tokens is refused. */
    private static final int CONTEXT = 256;
    private static final List<String> TEXTS = List.of("a red apple", "the stock market fell", "hello");

    @TempDir
    static Path dir;
    private Hearth hearth;
    private HearthServer server;
    private String key, stingy;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        new SyntheticModel(MODEL, 64, 2, 4, 2, 128, 1024, CONTEXT, WeightType.F32, false, 42)
                .writeEmbedding(dir.resolve("models").resolve(MODEL + ".gguf"));
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME",
                "tiny"));
        key = hearth.ledger().keys().create(ApiKeys.KeySpec.named("embedder")).secret();
        stingy = hearth.ledger().keys().create(new ApiKeys.KeySpec("stingy", null, null, 5, List.of(), false))
                .secret();
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    void stop() {
        server.close();
        hearth.close();
    }

    private HttpResponse<String> post(String path, String body, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("content-type", "application/json").header("authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> embed(String body) throws Exception {
        return post("/v1/embeddings", body, key);
    }

    private static String texts() {
        return "['" + String.join("','", TEXTS) + "']";
    }

    @Test
    void theEmbeddingModelIsListedBesideTheChatModelsAndTheDefaultEmbedder() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/models")).header("authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).get("data").findValuesAsText("id")).contains("auto", "tiny", MODEL,
                "all-minilm-l6-v2");
        assertThat(hearth.embeddingModels()).contains(MODEL, "all-minilm-l6-v2").doesNotContain("tiny");
    }

    @Test
    void vectorsAreTheJavaApisForTheSameTextsAsFloatsAndAsBase64() throws Exception {
        Vectors java = hearth.embed(MODEL, TEXTS);
        HttpResponse<String> floats = embed("{'model':'" + MODEL + "','input':" + texts() + "}");
        assertThat(floats.statusCode()).as(floats.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(floats.body());
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("data")).hasSize(TEXTS.size());
        assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(java.inputTokens()).isPositive();
        HttpResponse<String> packed = embed("{'model':'" + MODEL + "','input':" + texts()
                + ",'encoding_format':'base64'}");
        assertThat(packed.statusCode()).as(packed.body()).isEqualTo(200);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] expected = java.vectors().get(i);
            assertThat(expected).hasSize(64);
            JsonNode values = body.at("/data/" + i + "/embedding");
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(JSON.readTree(packed.body())
                    .at("/data/" + i + "/embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(values).hasSize(expected.length);
            assertThat(bytes.remaining()).isEqualTo(expected.length * 4);
            for (int d = 0; d < expected.length; d++) {
                assertThat(values.get(d).floatValue()).isEqualTo(expected[d]);
                assertThat(bytes.getFloat()).isEqualTo(expected[d]);
            }
        }
    }

    @Test
    void ollamasEmbedGivesTheSameVectorsAndShowSaysTheModelEmbeds() throws Exception {
        Vectors java = hearth.embed(MODEL, TEXTS);
        HttpResponse<String> res = post("/api/embed", "{'model':'" + MODEL + ":latest','input':" + texts() + "}",
                key);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).get("prompt_eval_count").asLong()).isEqualTo(java.inputTokens());
        JsonNode vectors = JSON.readTree(res.body()).get("embeddings");
        assertThat(vectors).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            for (int d = 0; d < 64; d++) {
                assertThat(vectors.get(i).get(d).floatValue()).isEqualTo(java.vectors().get(i)[d]);
            }
        }
        HttpResponse<String> show = post("/api/show", "{'model':'" + MODEL + "'}", key);
        assertThat(show.statusCode()).as(show.body()).isEqualTo(200);
        assertThat(JSON.readTree(show.body()).get("capabilities")).singleElement()
                .satisfies(c -> assertThat(c.asText()).isEqualTo("embedding"));
    }

    @Test
    void badInputsAreRefusedInOpenAisShapeWithTheNumbers() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= 2048; i++) {
            many.add("'t" + i + "'");
        }
        String tooLong = "the model ".repeat(CONTEXT);
        String[][] cases = {
            {"{'model':'" + MODEL + "','input':[]}", "input", "input has 0 texts; send from 1 to 2048"},
            {"{'model':'" + MODEL + "','input':[" + String.join(",", many) + "]}", "input", "2049 texts"},
            {"{'model':'" + MODEL + "','input':['short','" + tooLong + "']}", "input", "the context holds "
                    + CONTEXT},
            {"{'model':'tiny','input':'x'}", "model", "the models that embed here: all-minilm-l6-v2, " + MODEL},
            {"{'model':'auto','input':'x'}", "model", "not an embedding model"},
        };
        for (String[] c : cases) {
            HttpResponse<String> res = embed(c[0]);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(res.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.get("param").asText()).as(res.body()).isEqualTo(c[1]);
            assertThat(error.get("message").asText()).contains(c[2]);
        }
        HttpResponse<String> res = embed("{'model':'no-such-model','input':'x'}");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(res.body()).at("/error/message").asText()).contains(MODEL);
    }

    @Test
    void aChatWithAnEmbeddingModelIsRefused() throws Exception {
        HttpResponse<String> res = post("/v1/chat/completions", "{'model':'" + MODEL + "','messages':[{'role':'user',"
                + "'content':'hi'}],'max_tokens':4}", key);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(JSON.readTree(res.body()).at("/error/message").asText()).contains("is an embedding model");
    }

    @Test
    void eachRequestIsACallInTheLedgerWithItsInputTokensAndItsKey() throws Exception {
        HttpResponse<String> openai = embed("{'model':'" + MODEL + "','input':" + texts() + "}");
        HttpResponse<String> ollama = post("/api/embed", "{'model':'all-minilm-l6-v2','input':'a red apple'}", key);
        assertThat(openai.statusCode()).as(openai.body()).isEqualTo(200);
        assertThat(ollama.statusCode()).as(ollama.body()).isEqualTo(200);
        hearth.flushCalls();
        CallRecord gguf = hearth.ledger().call(openai.headers().firstValue("x-hearth-call-id").orElseThrow())
                .orElseThrow();
        assertThat(gguf.entryPoint()).isEqualTo(EntryPoint.HTTP);
        assertThat(gguf.caller().keyName()).isEqualTo("embedder");
        assertThat(gguf.model()).isEqualTo(MODEL);
        assertThat(gguf.provider()).isEqualTo("local");
        assertThat(gguf.remote()).isFalse();
        assertThat(gguf.taskClass()).isEqualTo("embedding");
        assertThat(gguf.outcome()).isEqualTo("ok");
        assertThat(gguf.costUsd()).isZero();
        assertThat(gguf.tokens().input()).isEqualTo(JSON.readTree(openai.body()).at("/usage/prompt_tokens").asLong())
                .isPositive();
        assertThat(gguf.tokens().output()).isZero();
        CallRecord onnx = hearth.ledger().recentCalls(100).stream().filter(c -> c.model().equals("all-minilm-l6-v2"))
                .findFirst().orElseThrow();
        assertThat(onnx.caller().keyName()).isEqualTo("embedder");
        assertThat(onnx.tokens().input()).isEqualTo(5); // [CLS] a red apple [SEP]
    }

    @Test
    void theTokensReadCountAgainstTheKeysTokensPerMinute() throws Exception {
        HttpResponse<String> first = post("/v1/embeddings", "{'model':'" + MODEL + "','input':" + texts() + "}",
                stingy);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200); // a bucket may go into debt once
        HttpResponse<String> second = post("/v1/embeddings", "{'model':'" + MODEL + "','input':'x'}", stingy);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
        assertThat(JSON.readTree(second.body()).at("/error/message").asText()).contains("5 tokens per minute");
    }
}
