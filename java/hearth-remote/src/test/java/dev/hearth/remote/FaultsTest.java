package dev.hearth.remote;

import static dev.hearth.remote.Fixtures.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ProviderException;
import dev.hearth.api.ProviderException.TimedOut.Phase;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.FakeUpstream;
import dev.hearth.testkit.upstream.Fault;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fault of the fakes, through both clients: the typed error, the retries, the deadlines. */
class FaultsTest {
    record Vendor(String name, FakeUpstreamFactory fake, Function<RemoteConfig, ChatBackend> client, String model) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface FakeUpstreamFactory {
        FakeUpstream start() throws IOException;
    }

    static Stream<Vendor> vendors() {
        return Stream.of(new Vendor("anthropic", () -> new FakeAnthropicServer(KEY), AnthropicClient::new,
                        "claude-sonnet-4-6"),
                new Vendor("deepseek", () -> new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK),
                        OpenAiCompatibleClient::new, "deepseek-flash"));
    }

    private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();

    private ChatBackend client(Vendor v, FakeUpstream fake, Function<RemoteConfig, RemoteConfig> tweak) {
        return v.client().apply(tweak.apply(Fixtures.config(v.name(), fake.baseUri(), sleeper)));
    }

    private static FakeReply longReply() {
        return FakeReply.text("one two three four five six seven eight nine ten");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void eachErrorStatusBecomesItsTypedErrorAndOnlyRetryableOnesAreRetried(Vendor v) throws Exception {
        record Case(Fault fault, Class<? extends ProviderException> type, boolean retried) {
        }
        List<Case> cases = List.of(
                new Case(Fault.status(401, "authentication_error", "invalid key"), ProviderException.AuthenticationFailed.class, false),
                new Case(Fault.status(403, "permission_error", "no access"), ProviderException.AuthenticationFailed.class, false),
                new Case(Fault.status(400, "invalid_request_error", "messages: roles must alternate"), ProviderException.BadRequest.class, false),
                new Case(Fault.status(422, "invalid_request_error", "bad field"), ProviderException.BadRequest.class, false),
                new Case(Fault.status(402, "insufficient_balance", "Insufficient Balance"), ProviderException.InsufficientBalance.class, false),
                new Case(Fault.status(429, "rate_limit_error", "slow down"), ProviderException.RateLimited.class, true),
                new Case(Fault.status(529, "overloaded_error", "Overloaded"), ProviderException.Overloaded.class, true),
                new Case(Fault.status(503, "server_overloaded", "busy"), ProviderException.Overloaded.class, true),
                new Case(Fault.status(500, "api_error", "boom"), ProviderException.ServerError.class, true));
        for (Case c : cases) {
            try (FakeUpstream fake = v.fake().start()) {
                fake.defaultReply(FakeReply.failing(c.fault()));
                ChatBackend client = client(v, fake, cfg -> cfg);
                assertThatThrownBy(() -> client.stream(Fixtures.request(v.model()), ChatSink.discard()))
                        .as("%s", c.fault()).isInstanceOf(c.type());
                assertThat(fake.received()).as("%s", c.fault()).hasSize(c.retried() ? 3 : 1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aBadRequestPassesTheVendorsMessageThrough(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.enqueue(FakeReply.failing(Fault.status(400, "invalid_request_error", "tools.0.name: too long")));
            assertThatThrownBy(() -> client(v, fake, cfg -> cfg).chat(Fixtures.request(v.model())))
                    .isInstanceOf(ProviderException.BadRequest.class).hasMessageContaining("tools.0.name: too long")
                    .hasMessageContaining("400");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aRateLimitIsRetriedAfterTheWaitTheServerAskedFor(Vendor v) throws Exception {
        Map<Fault, Duration> waits = Map.of(
                Fault.rateLimited("retry-after", "2"), Duration.ofSeconds(2),
                Fault.rateLimited("retry-after-ms", "1500"), Duration.ofMillis(1500),
                Fault.rateLimited("retry-after", "Mon, 23 Nov 2026 12:00:07 GMT"), Duration.ofSeconds(7),
                Fault.rateLimited("anthropic-ratelimit-requests-reset", "2026-11-23T12:00:03Z"), Duration.ofSeconds(3),
                Fault.rateLimited("x-ratelimit-reset-tokens", "0m45.5s"), Duration.ofMillis(45_500));
        for (var e : waits.entrySet()) {
            sleeper.waits.clear();
            try (FakeUpstream fake = v.fake().start()) {
                fake.enqueue(FakeReply.failing(e.getKey()), longReply());
                ChatResponse r = client(v, fake, cfg -> cfg).stream(Fixtures.request(v.model()), ChatSink.discard());
                assertThat(r.content()).startsWith("one two");
                assertThat(sleeper.waits).as("%s", e.getKey()).containsExactly(e.getValue());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aWaitLongerThanTheClientSitsOutGoesToTheCallerWithTheWait(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.enqueue(FakeReply.failing(Fault.rateLimited("x-ratelimit-reset-requests", "6m0s")));
            assertThatThrownBy(() -> client(v, fake, cfg -> cfg).chat(Fixtures.request(v.model())))
                    .isInstanceOfSatisfying(ProviderException.RateLimited.class,
                            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(6)));
            assertThat(sleeper.waits).isEmpty();
            assertThat(fake.received()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void serverErrorsBackOffExponentiallyWithJitterAndRetriesCanBeTurnedOff(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.enqueue(FakeReply.failing(Fault.status(500, "api_error", "a")),
                    FakeReply.failing(Fault.status(500, "api_error", "b")), longReply());
            ChatResponse r = client(v, fake, cfg -> cfg).chat(Fixtures.request(v.model()));
            assertThat(r.content()).startsWith("one");
            // base 500 ms, doubling, times the jitter draw (fixed at one half)
            assertThat(sleeper.waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
        }
        try (FakeUpstream fake = v.fake().start()) {
            fake.enqueue(FakeReply.failing(Fault.status(500, "api_error", "a")));
            assertThatThrownBy(() -> client(v, fake, cfg -> cfg.withRetry(RetryPolicy.none()))
                    .chat(Fixtures.request(v.model()))).isInstanceOf(ProviderException.ServerError.class);
            assertThat(fake.received()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aSlowFirstTokenTripsTheFirstTokenDeadline(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.defaultReply(longReply().withFault(new Fault.SlowFirstToken(Duration.ofSeconds(30))));
            ChatBackend client = client(v, fake, cfg -> cfg.withRetry(RetryPolicy.none())
                    .withTimeouts(cfg.timeouts().withFirstToken(Duration.ofMillis(300))));
            assertThatThrownBy(() -> client.stream(Fixtures.request(v.model()), ChatSink.discard()))
                    .isInstanceOfSatisfying(ProviderException.TimedOut.class, e -> {
                        assertThat(e.phase()).isEqualTo(Phase.FIRST_TOKEN);
                        assertThat(e.partial()).isNull();
                        assertThat(e.retryable()).isTrue();
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aStallMidStreamTripsTheIdleDeadlineKeepsThePartialAndIsNotRetried(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.defaultReply(longReply().withFault(new Fault.StallAfter(6)));
            ChatBackend client = client(v, fake, cfg -> cfg.withTimeouts(cfg.timeouts().withIdle(Duration.ofMillis(1000))));
            StringBuilder seen = new StringBuilder();
            assertThatThrownBy(() -> client.stream(Fixtures.request(v.model()), seen::append))
                    .isInstanceOfSatisfying(ProviderException.TimedOut.class, e -> {
                        assertThat(e.phase()).isEqualTo(Phase.IDLE);
                        assertThat(e.partial().content()).startsWith("one").isEqualTo(seen.toString());
                        assertThat(e.retryable()).isFalse();
                    });
            assertThat(fake.received()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aStreamThatKeepsFlowingPastTheTotalDeadlineIsStoppedWithItsPartial(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.defaultReply(longReply().withTokenDelay(Duration.ofMillis(150)));
            ChatBackend client = client(v, fake, cfg -> cfg.withTimeouts(cfg.timeouts().withTotal(Duration.ofMillis(1000))));
            assertThatThrownBy(() -> client.stream(Fixtures.request(v.model()), ChatSink.discard()))
                    .isInstanceOfSatisfying(ProviderException.TimedOut.class, e -> {
                        assertThat(e.phase()).isEqualTo(Phase.TOTAL);
                        assertThat(e.partial().content()).startsWith("one").doesNotEndWith("ten");
                    });
            assertThat(fake.received()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aResetMidStreamKeepsThePartialAndIsNeverRetried(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.defaultReply(longReply().withFault(new Fault.ResetAfter(6)));
            assertThatThrownBy(() -> client(v, fake, cfg -> cfg).stream(Fixtures.request(v.model()), ChatSink.discard()))
                    .isInstanceOfSatisfying(ProviderException.StreamBroken.class,
                            e -> assertThat(e.partial().content()).startsWith("one"));
            assertThat(fake.received()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void aResetBeforeAnyAnswerIsAConnectionFailureThatIsRetried(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.enqueue(FakeReply.failing(new Fault.ResetBeforeResponse()), longReply());
            ChatResponse r = client(v, fake, cfg -> cfg).stream(Fixtures.request(v.model()), ChatSink.discard());
            assertThat(r.content()).startsWith("one");
            assertThat(fake.received()).hasSize(2);
        }
        ChatBackend nowhere = v.client().apply(Fixtures.config(v.name(), URI.create("http://127.0.0.1:1"), sleeper)
                .withRetry(RetryPolicy.none()));
        assertThatThrownBy(() -> nowhere.chat(Fixtures.request(v.model())))
                .isInstanceOf(ProviderException.ConnectionFailed.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void malformedJsonIsAServerErrorBeforeOutputAndABrokenStreamAfter(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            fake.defaultReply(longReply().withFault(new Fault.MalformedAfter(6)));
            assertThatThrownBy(() -> client(v, fake, cfg -> cfg).stream(Fixtures.request(v.model()), ChatSink.discard()))
                    .isInstanceOfSatisfying(ProviderException.StreamBroken.class,
                            e -> assertThat(e.getMessage()).contains("not " + v.name() + "'s wire format"));
        }
        try (FakeUpstream fake = v.fake().start()) {
            fake.enqueue(longReply().withFault(new Fault.MalformedAfter(0)));
            ChatResponse r = client(v, fake, cfg -> cfg).stream(Fixtures.request(v.model()), ChatSink.discard());
            assertThat(r.content()).isEqualTo("Hello from the fake upstream."); // the retry got the default reply
            assertThat(fake.received()).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void interruptingTheCallerAbortsTheExchange(Vendor v) throws Exception {
        try (FakeUpstream fake = v.fake().start()) {
            // the stream stalls after its first words; only the interrupt can end the call before the 20 s idle deadline
            fake.defaultReply(longReply().withFault(new Fault.StallAfter(6)));
            ChatBackend client = client(v, fake, cfg -> cfg);
            CountDownLatch firstToken = new CountDownLatch(1);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    client.stream(Fixtures.request(v.model()), d -> firstToken.countDown());
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            firstToken.await();
            caller.interrupt();
            caller.join();
            assertThat(outcome.get()).as("not a timeout: the interrupt ended it").isInstanceOf(InterruptedException.class);
            assertThat(fake.received()).hasSize(1);
        }
    }
}
