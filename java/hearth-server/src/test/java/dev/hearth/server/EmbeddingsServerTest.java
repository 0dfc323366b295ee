package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/embeddings} and {@code /v1/models/{id}} on loopback, with the bundled MiniLM embedder beside the synthetic
 * chat model: the embedder listed, vectors as floats and as base64 the same, usage counted, refusals named.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingsServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMBEDDER = "all-minilm-l6-v2";

    @TempDir
    static Path dir;
    private Hearth hearth;
    private HearthServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME",
                "tiny"));
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0).withDrainTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    void stop() {
        server.close();
        hearth.close();
    }

    private HttpResponse<String> embed(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/embeddings"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEmbedderIsListedBesideTheChatModelsAndEachModelCanBeFetched() throws Exception {
        JsonNode list = JSON.readTree(get("/models").body());
        assertThat(list.get("data").findValuesAsText("id")).contains("auto", "tiny", EMBEDDER);
        HttpResponse<String> one = get("/models/" + EMBEDDER);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(JSON.readTree(one.body())).isEqualTo(JSON.readTree(
                "{\"id\":\"" + EMBEDDER + "\",\"object\":\"model\",\"created\":0,\"owned_by\":\"hearth\"}"));
        assertThat(JSON.readTree(get("/models/tiny").body()).get("id").asText()).isEqualTo("tiny");
        HttpResponse<String> missing = get("/models/no-such-model");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).at("/error/code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void vectorsComeAsFloatsOrAsLittleEndianBase64AndTheTokensAreCounted() throws Exception {
        HttpResponse<String> floats = embed("{'model':'" + EMBEDDER + "','input':['a red apple','the stock market']}");
        assertThat(floats.statusCode()).as(floats.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(floats.body());
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo(EMBEDDER);
        assertThat(body.get("data")).hasSize(2);
        assertThat(body.at("/data/1/index").asInt()).isEqualTo(1);
        assertThat(body.at("/data/0/object").asText()).isEqualTo("embedding");
        assertThat(body.at("/data/0/embedding")).hasSize(384);
        // [CLS] a red apple [SEP] + [CLS] the stock market [SEP]
        assertThat(body.at("/usage/prompt_tokens").asLong()).isEqualTo(10);
        assertThat(body.at("/usage/total_tokens").asLong()).isEqualTo(10);

        HttpResponse<String> packed = embed("{'model':'" + EMBEDDER + "','input':'a red apple','encoding_format':"
                + "'base64','dimensions':384}");
        assertThat(packed.statusCode()).as(packed.body()).isEqualTo(200);
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(JSON.readTree(packed.body())
                .at("/data/0/embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(384 * 4);
        JsonNode expected = body.at("/data/0/embedding");
        for (int i = 0; i < 384; i++) {
            assertThat(bytes.getFloat()).isEqualTo(expected.get(i).floatValue());
        }
    }

    @Test
    void refusalsNameTheirField() throws Exception {
        String[][] cases = {
            {"{'model':'" + EMBEDDER + "','input':'x','dimensions':128}", "400", "dimensions", "cannot shorten"},
            {"{'model':'tiny','input':'x'}", "400", "model", "the models that embed here: " + EMBEDDER},
            {"{'model':'" + EMBEDDER + "','input':[1,2,3]}", "400", "input[0]", "not token ids"},
            {"{'model':'" + EMBEDDER + "','input':''}", "400", "input", "is empty"},
            {"{'model':'" + EMBEDDER + "','input':'x','encoding_format':'int8'}", "400", "encoding_format", "float or"},
        };
        for (String[] c : cases) {
            HttpResponse<String> res = embed(c[0]);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(Integer.parseInt(c[1]));
            JsonNode error = JSON.readTree(res.body()).get("error");
            assertThat(error.get("param").asText()).isEqualTo(c[2]);
            assertThat(error.get("message").asText()).contains(c[3]);
        }
    }
}
