package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.runtime.Hearth;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat completions answered by a tournament: asked by name, or by hearth.toml for a critical agent. */
class TournamentServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private FakeAnthropicServer claude;
    private FakeOpenAiServer deepseek;
    private Hearth hearth;
    private HearthServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        claude = new FakeAnthropicServer("ck");
        deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
        Path file = Files.writeString(dir.resolve("hearth.toml"), """
                [agents]
                auditor = "math"
                [tournament]
                critical = ["auditor"]
                models = ["claude-sonnet-4-6", "deepseek-flash"]
                """);
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                "LOCAL_LLM_ENABLED", "false",
                "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()));
        server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                .withDrainTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        hearth.close();
        claude.close();
        deepseek.close();
    }

    private HttpResponse<String> chat(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void modelTournamentAnswersWithTheChosenCandidateAndTheVerdict() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("Bananas are rich in potassium and grow in tropical climates."));
        HttpResponse<String> res = chat("{'model':'tournament','messages':[{'role':'user','content':'Capital of"
                + " France?'}],'hearth_tournament':{'models':['claude-sonnet-4-6','deepseek-flash']}}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        JsonNode t = body.path("hearth_tournament");
        assertThat(t.path("verdict").asText()).isEqualTo("dispute");
        assertThat(res.headers().firstValue("x-hearth-tournament")).hasValue("dispute");
        assertThat(t.path("candidates")).hasSize(2);
        assertThat(t.path("agreement")).hasSize(2);
        String chosen = t.path("chosen").asText();
        assertThat(body.path("model").asText()).isEqualTo(chosen);
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(t.path("answer").asText());
    }

    @Test
    void aCriticalAgentOfHearthTomlIsAnsweredByATournament() throws Exception {
        claude.defaultReply(FakeReply.text("x = 5"));
        deepseek.defaultReply(FakeReply.text("x = 5"));
        HttpResponse<String> res = chat("{'model':'agent:auditor','messages':[{'role':'user','content':'Solve"
                + " 3x + 5 = 20.'}]}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).at("/hearth_tournament/verdict").asText()).isEqualTo("consensus");
        assertThat(claude.received()).hasSize(1);
        assertThat(deepseek.received()).hasSize(1);
    }

    @Test
    void aStreamedTournamentIsRefusedBeforeAnythingIsSent() throws Exception {
        HttpResponse<String> res = chat("{'model':'tournament','stream':true,'messages':[{'role':'user','content':"
                + "'hi'}],'hearth_tournament':{'models':['claude-sonnet-4-6','deepseek-flash']}}");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("one piece");
        assertThat(claude.received()).isEmpty();
    }
}
