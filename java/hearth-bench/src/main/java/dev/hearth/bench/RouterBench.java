package dev.hearth.bench;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.Router;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code router} suite: decision time of {@code Router.explain} over 10,000 varied requests, and the end-to-end
 * overhead of routing (decision and fallback chain) against calling the same backend (a loopback fake) directly,
 * alternating in one run.
 */
final class RouterBench {
    private static final String[] PROMPTS = {
        "Hi there!", "What is the capital of Norway?", "Translate 'good night' into Spanish.",
        "Write a Python function that removes duplicates from a list while keeping the order.",
        "Why does this throw?\n```java\nString s = map.get(k);\ns.length();\n```",
        "Solve for x: 3x + 7 = 22", "Prove that the square root of 2 is irrational.",
        "Write a haiku about autumn rain on a tin roof.",
        "Compare event sourcing and CRUD for a banking ledger: what are the trade-offs?",
        "Design an architecture for a multi-region chat service. How would you handle presence? Ordering? Offline?",
        "Summarize the following meeting notes for the team: we agreed to move the launch to March.",
        "Suggest a three-day itinerary for a first visit to Lisbon."};

    private RouterBench() {
    }

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Router router = Router.fromEnvironment(Map.of("LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY", "k",
                "DEEPSEEK_API_KEY", "k"));
        List<ChatRequest> requests = varied(n);
        for (ChatRequest r : requests) {
            router.explain(r); // warm-up
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            router.explain(requests.get(i));
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("%nrouter suite: %d varied requests (hybrid, rule classifier), %d cores%n", n,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("decision (explain)   p50 %.1f us   p99 %.1f us   max %.1f us%n", nanos[n / 2] / 1e3,
                nanos[(int) (n * 0.99)] / 1e3, nanos[n - 1] / 1e3);
        overhead(Math.max(400, n / 5));
    }

    private static List<ChatRequest> varied(int n) {
        SplittableRandom random = new SplittableRandom(7);
        List<ChatRequest> out = new ArrayList<>(n);
        Tool tool = new Tool("lookup", "look something up", null);
        for (int i = 0; i < n; i++) {
            String p = PROMPTS[random.nextInt(PROMPTS.length)];
            StringBuilder text = new StringBuilder(p);
            for (int k = random.nextInt(4); k > 0; k--) {
                text.append(' ').append(PROMPTS[random.nextInt(PROMPTS.length)]);
            }
            ChatRequest r = ChatRequest.of("auto", List.of(ChatMessage.system("Be brief."), ChatMessage.user(text.toString())));
            out.add(random.nextInt(8) == 0 ? r.withTools(List.of(tool), ToolChoice.AUTO) : r);
        }
        return out;
    }

    /** The same requests to the fake DeepSeek: through the router and its chain, and straight to the client. */
    private static void overhead(int requests) throws Exception {
        try (FakeOpenAiServer fake = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            fake.defaultReply(FakeReply.text("a short answer from the fake"));
            ChatBackend client = new OpenAiCompatibleClient(RemoteConfig.of("deepseek", fake.baseUri(), "k"));
            Router router = Router.fromEnvironment(Map.of("LLM_STRATEGY", "remote_only", "DEEPSEEK_API_KEY", "k"));
            FallbackChain chain = new FallbackChain(p -> client);
            ChatRequest request = ChatRequest.of("auto", List.of(ChatMessage.user("What is the capital of Norway?")))
                    .withMaxTokens(64);
            ChatRequest direct = request.withModel("deepseek-flash");
            List<Long> routed = new ArrayList<>(), plain = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // warm-up
                chain.execute(request, router.explain(request), null);
                client.chat(direct);
            }
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < requests / 4; i++) {
                    long t0 = System.nanoTime();
                    chain.execute(request, router.explain(request), null);
                    routed.add(System.nanoTime() - t0);
                }
                for (int i = 0; i < requests / 4; i++) {
                    long t0 = System.nanoTime();
                    client.chat(direct);
                    plain.add(System.nanoTime() - t0);
                }
            }
            double[] r = pct(routed), p = pct(plain);
            System.out.printf("end to end (fake DeepSeek on loopback, %d requests each):%n", requests);
            System.out.printf("  through the router   p50 %.3f ms   p99 %.3f ms%n", r[0], r[1]);
            System.out.printf("  client directly      p50 %.3f ms   p99 %.3f ms%n", p[0], p[1]);
            System.out.printf("  added                p50 %.3f ms   p99 %.3f ms%n", r[0] - p[0], r[1] - p[1]);
        }
    }

    private static double[] pct(List<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] {v[v.length / 2] / 1e6, v[(int) (v.length * 0.99)] / 1e6};
    }
}
