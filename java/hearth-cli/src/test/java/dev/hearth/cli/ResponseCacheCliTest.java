package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache from the command line: each {@code hearth chat} is a new process's Hearth on the same ledger, so
 * a deterministic question asked again is answered from the ledger's cache without calling the vendor; {@code --no-cache}
 * asks it again, {@code --cache} opts a non-deterministic one in, {@code HEARTH_CACHE=off} turns it off, and
 * {@code hearth spend} shows the hits and what they saved.
 */
class ResponseCacheCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLAUDE = "anthropic:claude-sonnet-4-6";

    @TempDir
    Path dir;

    private Cli.Outcome run(FakeAnthropicServer fake, Map<String, String> more, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("ANTHROPIC_API_KEY", "k", "ANTHROPIC_BASE_URL",
                fake.baseUri().toString()));
        env.putAll(more);
        return Cli.run(CleanEnvironment.in(dir, env), args);
    }

    private Cli.Outcome chat(FakeAnthropicServer fake, String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "chat";
        args[1] = "--model";
        args[2] = CLAUDE;
        System.arraycopy(options, 0, args, 3, options.length);
        args[args.length - 1] = "Where should I go in June?";
        Cli.Outcome o = run(fake, Map.of(), args);
        assertThat(o.code()).as(o.err()).isZero();
        return o;
    }

    @Test
    void aDeterministicQuestionAskedAgainIsAnsweredFromTheCacheAndSpendShowsWhatItSaved() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer("k")) {
            fake.defaultReply(FakeReply.text("Oslo is lovely in June."));
            Cli.Outcome first = chat(fake, "--temperature", "0");
            assertThat(first.out()).contains("Oslo is lovely in June.");
            Cli.Outcome second = chat(fake, "--temperature", "0");
            assertThat(second.out()).contains("Oslo is lovely in June.");
            assertThat(second.err()).contains("answered from the response cache");
            assertThat(fake.received()).as("the vendor was called once").hasSize(1);

            Cli.Outcome fresh = chat(fake, "--temperature", "0", "--no-cache");
            assertThat(fresh.err()).doesNotContain("answered from the response cache").contains("sent to anthropic");
            assertThat(fake.received()).as("--no-cache asks the vendor").hasSize(2);

            Cli.Outcome spend = run(fake, Map.of(), "spend", "--json");
            assertThat(spend.code()).as(spend.err()).isZero();
            JsonNode report = JSON.readTree(spend.out());
            assertThat(report.get("cache_hits").asLong()).isOne();
            assertThat(report.get("cache_saved_usd").decimalValue()).isPositive();
            assertThat(report.get("spend_usd").decimalValue()).as("two calls paid, one saved")
                    .isEqualByComparingTo(report.get("cache_saved_usd").decimalValue().multiply(
                            java.math.BigDecimal.valueOf(2)));
            Cli.Outcome text = run(fake, Map.of(), "spend");
            assertThat(text.out()).contains("cache: 1 hit, saved $" + report.get("cache_saved_usd").decimalValue()
                    .toPlainString());
        }
    }

    @Test
    void aQuestionThatIsNotDeterministicIsAskedEachTimeUnlessOptedIn() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer("k")) {
            fake.defaultReply(FakeReply.text("A story."));
            chat(fake);
            chat(fake);
            assertThat(fake.received()).hasSize(2);
            chat(fake, "--cache");
            assertThat(chat(fake, "--cache").err()).contains("answered from the response cache");
            assertThat(fake.received()).hasSize(3);
        }
    }

    @Test
    void cacheOffAsksTheVendorEveryTime() throws Exception {
        try (FakeAnthropicServer fake = new FakeAnthropicServer("k")) {
            fake.defaultReply(FakeReply.text("Hello."));
            for (int i = 0; i < 2; i++) {
                Cli.Outcome o = run(fake, Map.of("HEARTH_CACHE", "off"), "chat", "--model", CLAUDE, "--temperature",
                        "0", "Hi");
                assertThat(o.code()).as(o.err()).isZero();
                assertThat(o.err()).doesNotContain("response cache");
            }
            assertThat(fake.received()).hasSize(2);
            Cli.Outcome bad = run(fake, Map.of("HEARTH_CACHE", "maybe"), "chat", "--model", CLAUDE, "Hi");
            assertThat(bad.code()).isNotZero();
            assertThat(bad.err()).contains("HEARTH_CACHE must be on or off");
        }
    }
}
