package dev.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.TokenSink;
import dev.hearth.llama.ContextParams;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.Natives;
import dev.hearth.llama.SamplingParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code peers} suite: Hearth (in this JVM), node-llama-cpp@3.22.1 (a Node.js process on the same prebuilt
 * libllama) and java-llama.cpp de.kherud:llama:4.2.0 (its own JVM, JNI, its own llama.cpp), alternating, on the
 * 0.5B-shaped synthetic model. Prefill tok/s here is prompt tokens over the time to the first generated token
 * for every system, since the peers do not expose prompt processing apart.
 */
final class PeersBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(double ttft, double prefillTps, double decodeTps) {
    }

    private PeersBench() {
    }

    static void run(LlamaBench.Options o, Path nodeDir) throws IOException, InterruptedException {
        Path model = o.model() != null ? o.model() : LlamaBench.defaultModel();
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        runs.put("Hearth (Java, FFM)", new ArrayList<>());
        runs.put("node-llama-cpp 3.22.1", new ArrayList<>());
        runs.put("java-llama.cpp 4.2.0", new ArrayList<>());
        try (LlamaModel m = LlamaModel.load(model, ModelParams.defaults().withGpuLayers(0));
             LlamaContext ctx = m.newContext(ContextParams.defaults().withContextSize(o.prefill() + o.decode() + 16)
                     .withBatchSize(o.prefill()).withMicroBatch(o.prefill()).withThreads(o.threads()))) {
            int[] prompt = LlamaBench.prompt(m.nVocab(), o.prefill());
            GenerationParams params = GenerationParams.defaults().withSampling(SamplingParams.greedy())
                    .withMaxTokens(o.decode() + 1).withIgnoreEog(true);
            hearth(ctx, prompt, params); // warm-up; each peer warms up inside its own process
            for (int i = 0; i < o.runs(); i++) {
                runs.get("node-llama-cpp 3.22.1").add(external(List.of("node", nodeDir.resolve("node_peer.mjs").toString(),
                        model.toString(), "" + o.threads(), "" + o.prefill(), "" + o.decode()), nodeDir));
                runs.get("Hearth (Java, FFM)").add(hearth(ctx, prompt, params));
                runs.get("java-llama.cpp 4.2.0").add(external(kherudCommand(model, o), null));
                System.err.printf("run %d done%n", i + 1);
            }
            print(o, m, runs);
        }
    }

    private static Run hearth(LlamaContext ctx, int[] prompt, GenerationParams params) {
        GenerationResult r = ctx.generate(prompt, params, TokenSink.discard());
        double ttft = r.timeToFirstToken().toNanos() / 1e9;
        return new Run(ttft, r.promptTokens() / ttft, r.decodeTokensPerSecond());
    }

    private static List<String> kherudCommand(Path model, LlamaBench.Options o) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KherudPeer.class.getName(), model.toString(), "" + o.threads(), "" + o.prefill(), "" + o.decode());
    }

    private static Run external(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        JsonNode last = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        return new Run(last.path("ttft_s").asDouble(), last.path("prefill_tps").asDouble(),
                last.path("decode_tps").asDouble());
    }

    private static void print(LlamaBench.Options o, LlamaModel m, Map<String, List<Run>> runs) {
        System.out.printf("%npeers suite: %s (%,d bytes), %d threads, prompt %d tokens, decode %d tokens (greedy, EOG"
                + " ignored), %d alternating runs each, %d cores%n", m.path().getFileName(), m.size(), o.threads(),
                o.prefill(), o.decode(), o.runs(), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-24s %-26s %-26s %-22s%n", "system", "prefill tok/s (min-max)", "decode tok/s (min-max)",
                "TTFT s (min-max)");
        Map<String, Summary[]> summaries = new LinkedHashMap<>();
        runs.forEach((name, list) -> {
            Summary p = Summary.of(list.stream().map(Run::prefillTps).toList());
            Summary d = Summary.of(list.stream().map(Run::decodeTps).toList());
            Summary t = Summary.of(list.stream().map(Run::ttft).toList());
            summaries.put(name, new Summary[] {p, d, t});
            System.out.printf("%-24s %-26s %-26s %8.3f (%.3f-%.3f)%n", name, p.format(), d.format(), t.median(),
                    t.min(), t.max());
        });
        Summary[] hearth = summaries.get("Hearth (Java, FFM)");
        summaries.forEach((name, s) -> {
            if (s != hearth) {
                System.out.printf("%-24s prefill %.2fx   decode %.2fx   TTFT %.2fx (lower is better for Hearth)%n",
                        "Hearth / " + name.split(" ")[0], hearth[0].median() / s[0].median(),
                        hearth[1].median() / s[1].median(), hearth[2].median() / s[2].median());
            }
        });
    }

    static Path nodeDir() {
        return Natives.hearthHome().resolve("bench").resolve("node-llama-cpp");
    }

    static void requireNode(Path dir) {
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("node-llama-cpp"))) {
            throw new IllegalStateException("node-llama-cpp is not installed in " + dir + "; run scripts/bench.sh peers");
        }
    }
}
