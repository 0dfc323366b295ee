package dev.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Usage;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.HearthServer;
import dev.hearth.server.ServerSettings;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code server} suite: what {@code hearth serve} adds. Remote: the same streamed OpenAI-format request, sent by
 * the same bare JDK client, to the loopback fake directly and through a live server that routes it to that fake
 * (privacy guard, ledger reservation and settlement, SSE re-encoding included), alternating rounds, with 1 and 100
 * concurrent clients; p50/p99 of time to first token and total time, the added time, errors, and resident memory after
 * the run against after warm-up. Local: decode tokens/s of a streamed chat completion through the server against the
 * same request through the Java front door in the same process, on the 0.5B-shaped synthetic model.
 */
final class ServerBench {
    private static final String KEY = "bench-key";
    private static final String ANSWER = String.join(" ", Collections.nCopies(60, "token"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sample(long ttftNanos, long totalNanos, boolean ok) {
    }

    private interface Call {
        Sample run() throws Exception;
    }

    private ServerBench() {
    }

    static void run(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path home = Files.createTempDirectory("hearth-server-bench");
        System.out.printf("%nserver suite: %d requests per cell and path, %d-delta streamed answers, %d cores%n",
                requests, ANSWER.split(" ").length, Runtime.getRuntime().availableProcessors());
        try (FakeOpenAiServer fake = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK)) {
            fake.defaultReply(FakeReply.text(ANSWER).withUsage(new Usage(12, 60, 0, 0, 0)));
            Map<String, String> env = environment(home, "LLM_STRATEGY", "remote_only", "DEEPSEEK_API_KEY", KEY,
                    "DEEPSEEK_BASE_URL", fake.baseUri().toString());
            try (Hearth hearth = Hearth.fromEnvironment(env);
                 HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                         .withDrainTimeout(Duration.ofSeconds(5)))) {
                remote(fake, server.baseUri(), requests);
            }
        }
        int localRuns = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (localRuns > 0) { // 0: the remote cells only
            local(home, localRuns);
        }
    }

    private static Map<String, String> environment(Path home, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HEARTH_HOME", home.toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin"));
        for (String k : List.of("HEARTH_NATIVES", "HEARTH_LLAMA_VARIANT")) {
            if (System.getenv(k) != null) {
                env.put(k, System.getenv(k));
            }
        }
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static void remote(FakeOpenAiServer vendor, URI server, int requests) throws Exception {
        URI fake = vendor.baseUri();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"model\":\"deepseek-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"Say token sixty"
                + " times.\"}],\"max_tokens\":256,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        HttpRequest direct = HttpRequest.newBuilder(fake.resolve("/chat/completions"))
                .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpRequest through = HttpRequest.newBuilder(URI.create(server + "/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Call viaFake = () -> barely(http, direct);
        Call viaServer = () -> barely(http, through);
        System.out.printf("%-8s %-36s %-36s %-22s %s%n", "clients", "TTFT ms p50 / p99 (server | direct)",
                "total ms p50 / p99 (server | direct)", "added p50/p99 TTFT ms", "errors");
        // warm-up at both loads, half a cell each: the JIT and its code cache, connections, the ledger, the heap
        for (int clients : new int[] {1, 100}) {
            measure(viaServer, clients, Math.max(500, requests / 2));
            measure(viaFake, clients, Math.max(500, requests / 2));
        }
        vendor.forgetReceived(); // the fake shares this JVM: its record of requests is not the server's memory
        settle();
        long warmRss = rssKib();
        long warmHeap = heapUsed();
        long warmCommitted = heapCommitted();
        for (int clients : new int[] {1, 100}) {
            List<Sample> s = new ArrayList<>(), d = new ArrayList<>();
            for (int round = 0; round < 10; round++) { // alternate, so drift hits both
                s.addAll(measure(viaServer, clients, requests / 10));
                d.addAll(measure(viaFake, clients, requests / 10));
            }
            double[] st = percentiles(s, true), dt = percentiles(d, true), ss = percentiles(s, false),
                    ds = percentiles(d, false);
            long errors = s.stream().filter(x -> !x.ok()).count() + d.stream().filter(x -> !x.ok()).count();
            System.out.printf("%-8d %-36s %-36s %-22s %d of %d%n", clients,
                    String.format("%.3f / %.3f | %.3f / %.3f", st[0], st[1], dt[0], dt[1]),
                    String.format("%.3f / %.3f | %.3f / %.3f", ss[0], ss[1], ds[0], ds[1]),
                    String.format("%.3f / %.3f", st[0] - dt[0], st[1] - dt[1]), errors, s.size() + d.size());
        }
        vendor.forgetReceived();
        settle();
        long endRss = rssKib();
        long endHeap = heapUsed();
        long endCommitted = heapCommitted();
        System.out.printf("resident memory: %.1f MiB after warm-up, %.1f MiB after the run (%.1f%%); Java heap in use"
                + " after a collection: %.1f MiB, then %.1f MiB (%.1f%%)%n", warmRss / 1024.0, endRss / 1024.0,
                100.0 * (endRss - warmRss) / warmRss, warmHeap / 1048576.0, endHeap / 1048576.0,
                100.0 * (endHeap - warmHeap) / warmHeap);
        // the heap G1 has committed grows with the allocation rate it sees (to keep its pauses short), and a page it
        // committed and touched stays resident; what is left of the resident memory is the JVM's own (code, threads)
        System.out.printf("heap committed: %.1f MiB, then %.1f MiB; resident memory beside the committed heap: %.1f MiB,"
                + " then %.1f MiB (%.1f%%)%n", warmCommitted / 1048576.0, endCommitted / 1048576.0,
                warmRss / 1024.0 - warmCommitted / 1048576.0, endRss / 1024.0 - endCommitted / 1048576.0,
                100.0 * ((endRss * 1024 - endCommitted) - (warmRss * 1024 - warmCommitted))
                        / (warmRss * 1024 - warmCommitted));
    }

    private static void local(Path home, int runs) throws Exception {
        Path model = LlamaBench.defaultModel();
        String stem = model.getFileName().toString().replaceFirst("\\.gguf$", "");
        // the response cache off: a repeated greedy request would be answered from it, not decoded
        Map<String, String> env = environment(home, "LLM_STRATEGY", "local_only", "HEARTH_THREADS", "2", "HEARTH_CACHE",
                "off",
                "MODEL_CACHE_DIR", model.getParent().toString(), "LOCAL_MODEL_NAME", stem);
        String body = "{\"model\":\"" + stem + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story"
                + " about a lighthouse.\"}],\"max_tokens\":128,\"temperature\":0,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}";
        try (Hearth hearth = Hearth.fromEnvironment(env);
             HearthServer server = HearthServer.start(hearth, ServerSettings.defaults().withPort(0)
                     .withDrainTimeout(Duration.ofSeconds(5)))) {
            String name = hearth.use(stem);
            ChatRequest request = ChatRequest.of(name, List.of(ChatMessage.user("Write a long story about a"
                    + " lighthouse."))).withMaxTokens(128).withTemperature(0.0);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest through = HttpRequest.newBuilder(URI.create(server.baseUri() + "/chat/completions"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            List<Double> viaServer = new ArrayList<>(), inProcess = new ArrayList<>();
            decodeRate(http, through); // warm-up: loads the model
            hearth.chat(request);
            for (int i = 0; i < runs; i++) {
                viaServer.add(decodeRate(http, through));
                long t0 = System.nanoTime();
                long[] first = {0};
                AtomicInteger pieces = new AtomicInteger();
                var r = hearth.stream(request, piece -> {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                    pieces.incrementAndGet();
                });
                long end = System.nanoTime();
                inProcess.add((r.response().usage().outputTokens() - 1) / ((end - first[0]) / 1e9));
            }
            double s = median(viaServer), j = median(inProcess);
            System.out.printf("local decode tok/s (%s, 2 threads, 128 tokens, median of %d): server %.1f, Java API"
                    + " %.1f%nserver/in-process decode: %.3fx%n", model.getFileName(), runs, s, j, s / j);
        }
    }

    /** Decode tokens/s of one streamed completion: output tokens after the first over the time after the first. */
    private static double decodeRate(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        long end = 0;
        int tokens = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.startsWith("data: {")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (first == 0 && chunk.path("choices").path(0).path("delta").has("content")) {
                    first = System.nanoTime();
                }
                if (chunk.path("usage").has("completion_tokens")) {
                    tokens = chunk.path("usage").path("completion_tokens").asInt();
                    end = System.nanoTime();
                }
            }
        }
        if (r.statusCode() != 200 || tokens < 2) {
            throw new IllegalStateException("the server answered " + r.statusCode() + " with " + tokens + " tokens");
        }
        return (tokens - 1) / ((end - first) / 1e9);
    }

    private static List<Sample> measure(Call call, int clients, int total) throws Exception {
        List<Sample> samples = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int each = Math.max(1, total / clients);
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        samples.add(call.run());
                    } catch (Exception e) {
                        samples.add(new Sample(0, 0, false));
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return samples;
    }

    /** The bare client: the request as bytes, the answer split into lines, the first content line timed. */
    private static Sample barely(HttpClient http, HttpRequest request) throws Exception {
        long t0 = System.nanoTime(), first = 0;
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (first == 0 && line.contains("\"content\":\"token")) {
                    first = System.nanoTime();
                }
                if (line.contains("[DONE]")) {
                    done = true;
                }
            }
        }
        return new Sample(first - t0, System.nanoTime() - t0, r.statusCode() == 200 && done && first != 0);
    }

    private static long heapUsed() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * A full collection, then time for G1 to hand the regions it shrank by back to the system: it uncommits them on a
     * background thread after the collection, so a reading taken at once still counts them resident.
     */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(5000);
    }

    private static long heapCommitted() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    private static long rssKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static double[] percentiles(List<Sample> samples, boolean ttft) {
        double[] v = samples.stream().filter(Sample::ok)
                .mapToDouble(s -> (ttft ? s.ttftNanos() : s.totalNanos()) / 1e6).sorted().toArray();
        return v.length == 0 ? new double[] {Double.NaN, Double.NaN}
                : new double[] {v[(int) (v.length * 0.50)], v[Math.min(v.length - 1, (int) (v.length * 0.99))]};
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
