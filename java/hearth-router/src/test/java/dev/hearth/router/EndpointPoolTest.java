package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ConversationKey;
import dev.hearth.api.ProviderException;
import dev.hearth.api.StopReason;
import dev.hearth.api.Usage;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.remote.RetryPolicy;
import dev.hearth.testkit.ManualClock;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The balancer's rules with an injected clock and probe: no sockets, no sleeping. */
class EndpointPoolTest {
    private static final URI A = URI.create("http://10.0.0.1:8000/v1");
    private static final URI B = URI.create("http://10.0.0.2:8000/v1");
    private static final URI C = URI.create("http://10.0.0.3:8000/v1");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** What each endpoint's probe finds; absent: down. */
    private final Map<URI, EndpointPool.Probe.Result> probes = new HashMap<>();

    @TempDir
    Path dir;

    private EndpointPool pool(URI... endpoints) {
        return new EndpointPool("coder", List.of(endpoints), EndpointPool.Settings.defaults(), clock,
                uri -> probes.getOrDefault(uri, EndpointPool.Probe.Result.DOWN));
    }

    private static String state(EndpointPool pool, URI endpoint) {
        return pool.stats().stream().filter(s -> s.endpoint().equals(endpoint)).findFirst().orElseThrow().state();
    }

    @Test
    void aNewRequestGoesToTheEndpointWithTheFewestOutstanding() {
        EndpointPool pool = pool(A, B, C);
        EndpointPool.Lease first = pool.acquire("c1", Set.of());
        EndpointPool.Lease second = pool.acquire("c2", Set.of());
        EndpointPool.Lease third = pool.acquire("c3", Set.of());
        assertThat(Set.of(first.endpoint(), second.endpoint(), third.endpoint())).containsExactlyInAnyOrder(A, B, C);
        second.close();
        assertThat(pool.acquire("c4", Set.of()).endpoint()).as("the only endpoint with none outstanding")
                .isEqualTo(second.endpoint());
        assertThat(pool.stats()).extracting(EndpointPool.EndpointStats::outstanding).containsExactly(1, 1, 1);
    }

    @Test
    void theTurnsOfOneConversationGoToTheSameEndpointWhileItIsHealthy() {
        EndpointPool pool = pool(A, B);
        URI home;
        try (EndpointPool.Lease turn1 = pool.acquire("talk", Set.of())) {
            home = turn1.endpoint();
            turn1.finished(EndpointPool.Outcome.ANSWERED, null);
        }
        EndpointPool.Lease busy = pool.acquire("other", Set.of());
        EndpointPool.Lease busier = pool.acquire("third", Set.of());
        assertThat(busy.endpoint()).isNotEqualTo(busier.endpoint());
        // home is as busy as the other endpoint, or busier: the conversation still goes there
        try (EndpointPool.Lease turn2 = pool.acquire("talk", Set.of())) {
            assertThat(turn2.endpoint()).isEqualTo(home);
        }
    }

    @Test
    void anEndpointThatReportsTheConversationInItsPrefixCacheIsPreferredForANewOne() throws Exception {
        probes.put(A, new EndpointPool.Probe.Result(true, Set.of()));
        probes.put(B, new EndpointPool.Probe.Result(true, Set.of("warm-on-b")));
        EndpointPool pool = pool(A, B);
        pool.probeAll();
        assertThat(pool.stats()).extracting(EndpointPool.EndpointStats::warmConversations).containsExactly(0, 1);
        EndpointPool.Lease busyB = pool.acquire("elsewhere", Set.of(A));
        assertThat(busyB.endpoint()).isEqualTo(B);
        assertThat(pool.acquire("warm-on-b", Set.of()).endpoint()).as("warm, though busier").isEqualTo(B);
        busyB.close();
    }

    @Test
    void anEndpointIsEjectedAfterThreeFailuresInARowAndItsConversationsMoveToAnother() {
        EndpointPool pool = pool(A, B);
        URI home = pool.acquire("talk", Set.of()).endpoint();
        URI other = home.equals(A) ? B : A;
        for (int i = 0; i < 2; i++) {
            try (EndpointPool.Lease l = pool.acquire("talk", Set.of())) {
                assertThat(l.endpoint()).isEqualTo(home);
                l.finished(EndpointPool.Outcome.FAILED, new IOException("502"));
            }
        }
        assertThat(state(pool, home)).as("two failures are not yet three").isEqualTo("healthy");
        try (EndpointPool.Lease l = pool.acquire("talk", Set.of())) {
            l.finished(EndpointPool.Outcome.FAILED, new IOException("502"));
        }
        assertThat(state(pool, home)).isEqualTo("ejected");
        assertThat(pool.acquire("talk", Set.of()).endpoint()).isEqualTo(other);
        assertThat(pool.stats()).filteredOn(s -> s.endpoint().equals(home))
                .extracting(EndpointPool.EndpointStats::failures, EndpointPool.EndpointStats::ejections)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 1L));
    }

    @Test
    void aRefusedConnectionEjectsAtOnceAndASuccessfulProbeAfterTheEjectionReadmits() throws Exception {
        EndpointPool pool = pool(A, B);
        try (EndpointPool.Lease l = pool.acquire("talk", Set.of(B))) {
            l.finished(EndpointPool.Outcome.UNREACHABLE, new IOException("connection refused"));
        }
        assertThat(state(pool, A)).isEqualTo("ejected");

        probes.put(A, new EndpointPool.Probe.Result(true, Set.of()));
        probes.put(B, new EndpointPool.Probe.Result(true, Set.of()));
        clock.advance(Duration.ofSeconds(9));
        pool.probeAll();
        assertThat(state(pool, A)).as("not probed before its ejection is over").isEqualTo("ejected");

        clock.advance(Duration.ofSeconds(2));
        probes.put(A, EndpointPool.Probe.Result.DOWN);
        pool.probeAll();
        assertThat(state(pool, A)).as("a failed probe ejects it again").isEqualTo("ejected");

        clock.advance(Duration.ofSeconds(11));
        probes.put(A, new EndpointPool.Probe.Result(true, Set.of()));
        pool.probeAll();
        assertThat(state(pool, A)).isEqualTo("healthy");
        assertThat(pool.acquire("talk", Set.of(B)).endpoint()).isEqualTo(A);
    }

    @Test
    void anEndpointThatDoesNotAnswerItsFirstProbeIsEjectedBeforeAnyRequest() throws Exception {
        EndpointPool pool = pool(A, B);
        probes.put(B, new EndpointPool.Probe.Result(true, Set.of("warm")));
        pool.probeAtStart();
        assertThat(state(pool, A)).isEqualTo("ejected");
        assertThat(state(pool, B)).isEqualTo("healthy");
        for (String conversation : List.of("c1", "c2", "c3")) {
            try (EndpointPool.Lease l = pool.acquire(conversation, Set.of())) {
                assertThat(l.endpoint()).as(conversation).isEqualTo(B);
            }
        }
        assertThat(pool.stats()).extracting(EndpointPool.EndpointStats::warmConversations).containsExactly(0, 1);
    }

    @Test
    void aPoolStartedWithOneLoopbackEndpointDownSendsItsFirstRequestOnlyToTheLiveOne() throws Exception {
        URI down;
        try (FakeOpenAiServer gone = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.OPENAI)) {
            down = gone.baseUri(); // closed: its port refuses connections
        }
        try (FakeOpenAiServer up = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.OPENAI)) {
            up.defaultReply(FakeReply.text("from the live one"));
            List<URI> endpoints = List.of(down, up.baseUri()); // the dead one first: an unprobed pool picks it first
            Map<URI, ChatBackend> clients = new LinkedHashMap<>();
            endpoints.forEach(e -> clients.put(e, new OpenAiCompatibleClient(RemoteConfig.of("vllm", e, "k")
                    .withRetry(RetryPolicy.none()))));
            EndpointPool pool = new EndpointPool("coder", endpoints, EndpointPool.Settings.defaults(),
                    java.time.Clock.systemUTC(), new HttpProbe(Duration.ofSeconds(5), "k"));
            try (PooledBackend backend = new PooledBackend(pool, clients, true)) {
                assertThat(state(pool, down)).as("ejected by its first probe").isEqualTo("ejected");
                assertThat(backend.chat(ChatRequest.of("coder", List.of(ChatMessage.user("hello")))).content())
                        .isEqualTo("from the live one");
                assertThat(pool.stats()).extracting(EndpointPool.EndpointStats::requests).as("requests per endpoint")
                        .containsExactly(0L, 1L);
                assertThat(pool.stats()).extracting(EndpointPool.EndpointStats::failures).containsExactly(0L, 0L);
            }
        }
    }

    @Test
    void whenEveryEndpointIsEjectedOneWhoseTimeIsOverTakesTheRequestAsItsProbeAndNoneOtherwise() {
        EndpointPool pool = pool(A, B);
        for (URI u : List.of(A, B)) {
            try (EndpointPool.Lease l = pool.acquire(null, Set.of(u.equals(A) ? B : A))) {
                l.finished(EndpointPool.Outcome.UNREACHABLE, new IOException("refused"));
            }
        }
        assertThat(pool.acquire("talk", Set.of())).as("both ejected, neither due").isNull();
        clock.advance(Duration.ofSeconds(11));
        try (EndpointPool.Lease probe = pool.acquire("talk", Set.of())) {
            assertThat(probe).isNotNull();
            assertThat(state(pool, probe.endpoint())).isEqualTo("probing");
            probe.finished(EndpointPool.Outcome.ANSWERED, null);
            assertThat(state(pool, probe.endpoint())).isEqualTo("healthy");
        }
    }

    @Test
    void aProbingRequestThatEndsWithoutAnOutcomeLetsTheNextRequestProbe() {
        EndpointPool pool = pool(A);
        try (EndpointPool.Lease l = pool.acquire("talk", Set.of())) {
            l.finished(EndpointPool.Outcome.UNREACHABLE, new IOException("refused"));
        }
        clock.advance(Duration.ofSeconds(11));
        EndpointPool.Lease cancelled = pool.acquire("talk", Set.of());
        assertThat(pool.acquire("other", Set.of())).as("one probe at a time").isNull();
        cancelled.close();
        EndpointPool.Lease next = pool.acquire("talk", Set.of());
        assertThat(next).isNotNull();
        assertThat(next.endpoint()).isEqualTo(A);
        next.close();
    }

    @Test
    void aHealthyEndpointThatFailsThreeProbesInARowIsEjected() throws Exception {
        probes.put(B, new EndpointPool.Probe.Result(true, Set.of()));
        EndpointPool pool = pool(A, B);
        pool.probeAll();
        pool.probeAll();
        assertThat(state(pool, A)).isEqualTo("healthy");
        pool.probeAll();
        assertThat(state(pool, A)).isEqualTo("ejected");
        assertThat(state(pool, B)).isEqualTo("healthy");
    }

    /** A backend that answers or fails as told, and counts what it was sent. */
    private static final class Scripted implements ChatBackend {
        final List<ChatRequest> seen = new ArrayList<>();
        ProviderException failure;

        @Override
        public String name() {
            return "vllm";
        }

        @Override
        public dev.hearth.api.Capabilities capabilities() {
            return new dev.hearth.api.Capabilities(true, true, false, true, 0);
        }

        @Override
        public ChatResponse stream(ChatRequest request, ChatSink sink) {
            seen.add(request);
            if (failure != null) {
                throw failure;
            }
            return new ChatResponse("id", "m", "hi", "", "", List.of(), StopReason.END_TURN, "stop", Usage.NONE);
        }
    }

    @Test
    void aRequestWhoseEndpointIsRefusedIsAnsweredByAnotherAndAClientErrorIsNotTriedAgain() throws Exception {
        Scripted a = new Scripted();
        Scripted b = new Scripted();
        Map<URI, ChatBackend> clients = new LinkedHashMap<>();
        clients.put(A, a);
        clients.put(B, b);
        EndpointPool pool = pool(A, B);
        ChatRequest talk = ChatRequest.of("coder", List.of(ChatMessage.user("hello")));
        try (PooledBackend backend = new PooledBackend(pool, clients, false)) {
            EndpointPool.Lease busyB = pool.acquire("x", Set.of(A)); // so the first pick is A
            a.failure = new ProviderException.ConnectionFailed("vllm", "refused", null);
            assertThat(backend.chat(talk).content()).isEqualTo("hi");
            busyB.close();
            assertThat(a.seen).hasSize(1);
            assertThat(b.seen).hasSize(1);
            assertThat(state(pool, A)).isEqualTo("ejected");

            b.failure = new ProviderException.BadRequest("vllm", 400, "bad");
            assertThatThrownBy(() -> backend.chat(talk)).isInstanceOf(ProviderException.BadRequest.class);
            assertThat(b.seen).as("the request's own fault is not retried").hasSize(2);
            assertThat(state(pool, B)).isEqualTo("healthy");

            b.failure = new ProviderException.ConnectionFailed("vllm", "refused", null);
            assertThatThrownBy(() -> backend.chat(talk)).isInstanceOf(ProviderException.ConnectionFailed.class)
                    .hasMessageContaining("refused");
            assertThatThrownBy(() -> backend.chat(talk)).isInstanceOf(ProviderException.ConnectionFailed.class)
                    .hasMessageContaining("every endpoint of the pool of coder is ejected");
        }
    }

    @Test
    void aConversationKeepsItsKeyAcrossTurnsAndTwoConversationsDiffer() {
        List<ChatMessage> turn1 = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Name a river."));
        List<ChatMessage> turn2 = new ArrayList<>(turn1);
        turn2.add(ChatMessage.assistant("The Nile."));
        turn2.add(ChatMessage.user("And a mountain?"));
        assertThat(ConversationKey.of(turn2)).isEqualTo(ConversationKey.of(turn1)).hasSize(16);
        assertThat(ConversationKey.of(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Name a lake."))))
                .isNotEqualTo(ConversationKey.of(turn1));
        assertThat(ConversationKey.of(List.of(ChatMessage.user("Be brief.Name a river."))))
                .isNotEqualTo(ConversationKey.of(turn1));
    }

    @Test
    void hearthTomlDeclaresAPoolByItsEndpointsAndRefusesAMalformedOne() throws Exception {
        Path file = dir.resolve("hearth.toml");
        Files.writeString(file, """
                [[model]]
                id = "big-coder"
                provider = "vllm"
                model = "Qwen/Qwen2.5-Coder-32B-Instruct"
                endpoints = ["http://10.0.0.1:8000/v1/", "http://10.0.0.2:8000/v1"]
                """);
        HearthConfig.Endpoint e = HearthConfig.load(file).endpoints().get("big-coder");
        assertThat(e.pooled()).isTrue();
        assertThat(e.pool()).containsExactly(A, B);
        assertThat(e.baseUrl()).isEqualTo(A);

        record Case(String endpoints, String what) {
        }
        for (Case c : List.of(new Case("endpoints = []", "endpoints is empty"),
                new Case("endpoints = [\"http://10.0.0.1:8000/v1\", \"http://10.0.0.1:8000/v1/\"]", "twice"),
                new Case("endpoints = [\"10.0.0.1:8000\"]", "endpoints must be an http:// or https:// URL"),
                new Case("endpoints = [\"http://10.0.0.1:8000/v1\"]\nbase_url = \"http://10.0.0.2:8000/v1\"",
                        "either base_url (one server) or endpoints"))) {
            Files.writeString(file, "[[model]]\nid = \"big-coder\"\nprovider = \"vllm\"\n" + c.endpoints() + "\n");
            assertThatThrownBy(() -> HearthConfig.load(file)).as(c.endpoints()).isInstanceOf(IOException.class)
                    .hasMessageContaining(file + " line ").hasMessageContaining(c.what());
        }
    }
}
