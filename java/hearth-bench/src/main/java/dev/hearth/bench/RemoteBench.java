package dev.hearth.bench;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Usage;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.FakeUpstream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code remote} suite: what hearth-remote adds to a streamed call, against the loopback fakes. The same
 * requests go through hearth-remote and through a bare JDK HttpClient that only splits lines (no JSON, no
 * accumulation, no deadlines), alternating rounds in one run, with 1 and 64 concurrent streams; p50 and p99 of time
 * to first token and total time for each, and the difference.
 */
final class RemoteBench {
    private static final String KEY = "bench-key";
    private static final String ANSWER = String.join(" ", Collections.nCopies(60, "token"));

    private record Sample(long ttftNanos, long totalNanos) {
    }

    private interface Call {
        Sample run() throws Exception;
    }

    private RemoteBench() {
    }

    static void run(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.printf("%nremote suite: %d requests per cell, %d-delta streamed answers from loopback fakes, %d cores%n",
                requests, ANSWER.split(" ").length, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-10s %-8s %-34s %-34s %s%n", "vendor", "streams", "TTFT ms p50 / p99 (Hearth | bare)",
                "total ms p50 / p99 (Hearth | bare)", "added p99 ms (TTFT, total)");
        FakeReply reply = FakeReply.text(ANSWER).withUsage(new Usage(500, 60, 1000, 0, 0));
        try (FakeAnthropicServer anthropic = new FakeAnthropicServer(KEY);
             FakeOpenAiServer deepseek = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            anthropic.defaultReply(reply);
            deepseek.defaultReply(reply);
            HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            bench("anthropic", anthropic, new AnthropicClient(RemoteConfig.of("anthropic", anthropic.baseUri(), KEY)),
                    bareAnthropic(anthropic.baseUri()), bare, requests);
            bench("deepseek", deepseek, new OpenAiCompatibleClient(RemoteConfig.of("deepseek", deepseek.baseUri(), KEY)),
                    bareOpenAi(deepseek.baseUri()), bare, requests);
        }
    }

    private static void bench(String vendor, FakeUpstream fake, ChatBackend client, HttpRequest bareRequest,
            HttpClient bare, int requests) throws Exception {
        ChatRequest request = ChatRequest.of(vendor.equals("anthropic") ? "claude-sonnet-4-6" : "deepseek-flash",
                List.of(ChatMessage.user("Say token sixty times."))).withMaxTokens(256);
        Call hearth = () -> {
            long t0 = System.nanoTime();
            long[] first = {0};
            client.stream(request, d -> {
                if (first[0] == 0) {
                    first[0] = System.nanoTime();
                }
            });
            return new Sample(first[0] - t0, System.nanoTime() - t0);
        };
        Call plain = () -> barely(bare, bareRequest);
        for (int streams : new int[] {1, 64}) {
            measure(hearth, streams, Math.max(200, requests / 10));  // warm-up of both, the JIT and the connections
            measure(plain, streams, Math.max(200, requests / 10));
            List<Sample> h = new ArrayList<>(), b = new ArrayList<>();
            for (int round = 0; round < 4; round++) { // alternate, so drift hits both
                h.addAll(measure(hearth, streams, requests / 4));
                b.addAll(measure(plain, streams, requests / 4));
            }
            double[] ht = percentiles(h, true), bt = percentiles(b, true), hs = percentiles(h, false),
                    bs = percentiles(b, false);
            System.out.printf("%-10s %-8d %-34s %-34s %.3f, %.3f%n", vendor, streams,
                    String.format("%.3f / %.3f | %.3f / %.3f", ht[0], ht[1], bt[0], bt[1]),
                    String.format("%.3f / %.3f | %.3f / %.3f", hs[0], hs[1], bs[0], bs[1]), ht[1] - bt[1], hs[1] - bs[1]);
        }
    }

    private static List<Sample> measure(Call call, int streams, int total) throws Exception {
        List<Sample> samples = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int each = Math.max(1, total / streams);
        for (int s = 0; s < streams; s++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        samples.add(call.run());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return samples;
    }

    /** The bare peer: the request as bytes, the answer split into lines, the first content line timed. */
    private static Sample barely(HttpClient http, HttpRequest request) throws Exception {
        long t0 = System.nanoTime(), first = 0;
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (first == 0 && (line.contains("\"text_delta\"") || line.contains("\"content\":\"token"))) {
                    first = System.nanoTime();
                }
                if (line.contains("[DONE]") || line.contains("\"message_stop\"")) {
                    break;
                }
            }
        }
        return new Sample(first - t0, System.nanoTime() - t0);
    }

    private static HttpRequest bareAnthropic(URI base) {
        String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Say token sixty times.\"}]}],\"stream\":true}";
        return HttpRequest.newBuilder(base.resolve("/v1/messages")).header("x-api-key", KEY)
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpRequest bareOpenAi(URI base) {
        String body = "{\"model\":\"deepseek-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"Say token sixty times.\"}],"
                + "\"max_tokens\":256,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        return HttpRequest.newBuilder(base.resolve("/chat/completions")).header("authorization", "Bearer " + KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** {p50, p99} in milliseconds of TTFT (or total). */
    private static double[] percentiles(List<Sample> samples, boolean ttft) {
        double[] v = samples.stream().mapToDouble(s -> (ttft ? s.ttftNanos() : s.totalNanos()) / 1e6).sorted().toArray();
        return new double[] {v[(int) (v.length * 0.50)], v[Math.min(v.length - 1, (int) (v.length * 0.99))]};
    }
}
