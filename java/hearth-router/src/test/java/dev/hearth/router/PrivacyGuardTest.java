package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Everything of a request that is sent to a vendor is scanned, not only the messages' text. */
class PrivacyGuardTest {
    static final String KEY = "sk-ant-api03-Qk3vN9xT2bLw7YpR4mZs8HcJ1dFg6UeA0oKiWqE5rTy";
    static final String GITHUB = "ghp_1234567890abcdefghijABCDEFGHIJ0123456789";

    /** A request that carries a credential in every part a vendor receives, and nowhere in the messages' text. */
    static ChatRequest everywhere() {
        ChatMessage call = ChatMessage.assistant("", List.of(new ToolCall("c1", "deploy",
                "{\"token\": \"" + GITHUB + "\", \"password\": \"Tr0ub4dor&3xyz\"}")));
        ChatMessage result = ChatMessage.tool("c1", "deployed with AKIA2E0A8F3B244C9986");
        ChatMessage thought = new ChatMessage(Role.ASSISTANT, "done", "I used " + KEY, List.of(), "", "");
        Tool tool = new Tool("deploy", "Deploys; authenticate with api_key = 'a8f5f167f44f4964e6c998dee827110c'",
                "{\"type\":\"object\",\"properties\":{\"token\":{\"type\":\"string\",\"default\":\"" + GITHUB + "\"}}}");
        return ChatRequest.of("m", List.of(ChatMessage.system("You deploy things."), ChatMessage.user("Deploy it."),
                        call, result, thought))
                .withTools(List.of(tool), ToolChoice.AUTO)
                .withResponseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\",\"description\":"
                        + "\"postgres://app:S3cr3t-Pa55@db.internal:5432/orders\"}", true))
                .withStop(List.of("mysql -u root -pS3cretPw!"));
    }

    @Test
    void secretsInToolsSchemasToolCallsResultsReasoningAndStopsAreFoundAndRedacted() {
        PrivacyGuard.Verdict v = new PrivacyGuard(PrivacyGuard.Policy.REDACT).check(everywhere());
        assertThat(v.action()).isEqualTo(PrivacyGuard.Policy.REDACT);
        assertThat(v.findings()).contains("GitHub token", "Anthropic API key", "AWS access key id",
                "password in a connection string", "password on a command line", "secret in an assignment");
        String sent = v.request().toString();
        for (String secret : List.of(KEY, GITHUB, "Tr0ub4dor&3xyz", "AKIA2E0A8F3B244C9986",
                "a8f5f167f44f4964e6c998dee827110c", "S3cr3t-Pa55", "S3cretPw!")) {
            assertThat(sent).as(secret).doesNotContain(secret);
        }
        Tool tool = v.request().tools().getFirst();
        assertThat(tool.name()).as("names stay: a vendor takes only identifiers there").isEqualTo("deploy");
        assertThat(tool.parameters()).as("still a schema").contains("\"default\":\"[REDACTED GitHub token]\"");
        assertThat(v.request().messages().get(2).toolCalls().getFirst().arguments())
                .startsWith("{\"token\": \"[REDACTED GitHub token]\"");
        assertThat(v.request().toolChoice()).isEqualTo(ToolChoice.AUTO);
    }

    @Test
    void refuseSeesTheSameAndAllowLetsItGoSayingWhat() {
        assertThat(new PrivacyGuard(PrivacyGuard.Policy.REFUSE).check(everywhere()).request()).isNull();
        PrivacyGuard.Verdict allowed = new PrivacyGuard(PrivacyGuard.Policy.ALLOW).check(everywhere());
        assertThat(allowed.request()).isEqualTo(everywhere());
        assertThat(allowed.findings()).isNotEmpty();
    }

    @Test
    void aRequestWithoutSecretsIsSentUnchanged() {
        ChatRequest clean = ChatRequest.of("m", List.of(ChatMessage.user("Reset my password, please: the reset link"
                + " expired."))).withTools(List.of(new Tool("reset_password", "Sends a password reset link",
                "{\"type\":\"object\",\"properties\":{\"password\":{\"type\":\"string\"}}}")), ToolChoice.AUTO);
        PrivacyGuard.Verdict v = new PrivacyGuard(PrivacyGuard.Policy.REFUSE).check(clean);
        assertThat(v.findings()).isEmpty();
        assertThat(v.request()).isSameAs(clean);
    }
}
