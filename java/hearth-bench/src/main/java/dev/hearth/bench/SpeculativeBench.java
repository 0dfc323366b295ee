package dev.hearth.bench;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.Natives;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.Speculation;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.EngineResult;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.engine.RequestStats;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The {@code speculative} suite: single-stream greedy decode through the engine with and without speculative decoding,
 * against native/llama_bench_c.c (one llama_decode per token on the same libllama), alternating C, Hearth plain,
 * Hearth speculative..., on the 0.5B shape written with successor weights (SyntheticModel#writeSuccessor: the cost of
 * the 0.5B model, an output that continues runs of token ids). The task is a code edit: the prompt holds a 300-token
 * "file" with two edits in its first 128 tokens (12 tokens the answer leaves out, 4 it puts back), then an
 * instruction, then the file's first tokens; the answer repeats the file, except at the edits, where drafts from the
 * file are refused. (b) a draft model that agrees often: the same weights in Q4_0 (left out with --model).
 * Ends with {@code speculative/C decode: N.NNx} for (a).
 */
final class SpeculativeBench {
    private static final int FILE = 1000, FILE_LENGTH = 300;
    private static final String DRAFT = "Hearth, draft model";

    private SpeculativeBench() {
    }

    static void run(LlamaBench.Options o) throws IOException, InterruptedException {
        Path model = o.model() != null ? o.model() : successorModel(WeightType.Q8_0);
        Path peer = Natives.hearthHome().resolve("llama.cpp").resolve(Natives.release()).resolve("native-build")
                .resolve("llama_bench_c");
        if (!Files.isExecutable(peer)) {
            throw new IllegalStateException("the C peer " + peer + " is not built; run scripts/install-natives.sh");
        }
        Map<String, Speculation> ways = new LinkedHashMap<>();
        ways.put("Hearth, no speculation", Speculation.off());
        ways.put("Hearth, auto (default)", Speculation.auto());
        ways.put("Hearth, prompt lookup 16", Speculation.promptLookup(16));
        ways.put(DRAFT + " 4", Speculation.draftModel(4));
        Map<String, List<Double>> tps = new LinkedHashMap<>();
        Map<String, List<RequestStats>> stats = new LinkedHashMap<>();
        tps.put("C (llama_bench_c)", new ArrayList<>());
        ways.keySet().forEach(k -> {
            tps.put(k, new ArrayList<>());
            stats.put(k, new ArrayList<>());
        });
        int[] prompt = codeEditPrompt();
        Path draftPath = o.model() != null ? null : successorModel(WeightType.Q4_0);
        EngineParams engineParams = EngineParams.defaults().withParallel(1).withContextSize(2048).withBatchSize(512)
                .withPrefillChunk(512).withThreads(o.threads());
        try (LlamaModel m = LlamaModel.load(model, ModelParams.defaults().withGpuLayers(0));
             LlamaModel draft = draftPath == null ? null : LlamaModel.load(draftPath, ModelParams.defaults()
                     .withGpuLayers(0));
             LlamaEngine engine = LlamaEngine.start(m, engineParams);
             LlamaEngine drafting = draft == null ? null : LlamaEngine.start(m, engineParams, draft)) {
            if (drafting == null) {
                ways.remove(DRAFT + " 4");
            }
            System.err.printf("model %s: %s, %,d bytes of weights; %d threads; %s%n", model.getFileName(),
                    m.description(), m.size(), o.threads(), cpu());
            List<int[]> outputs = new ArrayList<>();
            for (var way : ways.entrySet()) { // warm-up, and the outputs must agree
                outputs.add(run(way.getKey().startsWith(DRAFT) ? drafting : engine, prompt, way.getValue(),
                        o.decode()).tokens());
            }
            for (int[] out : outputs) {
                if (!java.util.Arrays.equals(out, outputs.getFirst())) {
                    throw new IllegalStateException("speculative decoding changed the greedy output");
                }
            }
            for (int i = 0; i < o.runs(); i++) {
                tps.get("C (llama_bench_c)").add(LlamaBench.runC(peer, model, new LlamaBench.Options(model,
                        o.threads(), prompt.length, o.decode(), 1)).decodeTps());
                for (var way : ways.entrySet()) {
                    EngineResult r = run(way.getKey().startsWith(DRAFT) ? drafting : engine, prompt, way.getValue(),
                            o.decode());
                    tps.get(way.getKey()).add(r.stats().decodeTokensPerSecond());
                    stats.get(way.getKey()).add(r.stats());
                }
                System.err.printf("run %d: %s%n", i + 1, tps.entrySet().stream()
                        .map(e -> e.getKey() + " " + String.format("%.1f", e.getValue().getLast())).toList());
            }
            print(o, m, draft, prompt.length, tps, stats);
        }
    }

    private static EngineResult run(LlamaEngine engine, int[] prompt, Speculation s, int decode)
            throws InterruptedException {
        GenerationParams p = GenerationParams.defaults().withSampling(SamplingParams.greedy()).withMaxTokens(decode)
                .withIgnoreEog(true).withSpeculation(s);
        return engine.submit(prompt, p, TokenSink.discard(), null).result();
    }

    /**
     * BOS; a file of token ids FILE.. with two cuts (an inserted run the answer leaves out, a part the answer puts
     * back); an instruction; the file's first 4 tokens, from which the model's answer goes on.
     */
    static int[] codeEditPrompt() {
        IntStream file = IntStream.concat(IntStream.range(FILE, FILE + 50), IntStream.range(5000, 5012));
        file = IntStream.concat(file, IntStream.range(FILE + 50, FILE + 100));
        file = IntStream.concat(file, IntStream.range(FILE + 104, FILE + FILE_LENGTH));
        IntStream all = IntStream.concat(IntStream.of(1), file);
        all = IntStream.concat(all, IntStream.range(7000, 7040)); // "rename x to y in this file"
        return IntStream.concat(all, IntStream.range(FILE, FILE + 4)).toArray();
    }

    private static void print(LlamaBench.Options o, LlamaModel m, LlamaModel draft, int promptLength,
            Map<String, List<Double>> tps, Map<String, List<RequestStats>> stats) {
        double c = Summary.of(tps.get("C (llama_bench_c)")).median();
        System.out.printf("%nspeculative suite: %s (%,d bytes), %d threads, %d-token code-edit prompt, greedy decode"
                + " of %d tokens, %d alternating runs each, %d cores; %s%n", m.path().getFileName(), m.size(),
                o.threads(), promptLength, o.decode(), o.runs(), Runtime.getRuntime().availableProcessors(), cpu());
        System.out.printf("%-26s %-28s %-12s %-12s %s%n", "system", "decode tok/s median (min-max)", "ratio to C",
                "acceptance", "drafted/accepted per request");
        for (var e : tps.entrySet()) {
            Summary s = Summary.of(e.getValue());
            List<RequestStats> st = stats.getOrDefault(e.getKey(), List.of());
            String acceptance = st.isEmpty() ? "-" : String.format("%.1f%%", 100 * st.getLast().draftAcceptance());
            String counts = st.isEmpty() ? "-" : st.getLast().draftedTokens() + "/" + st.getLast().acceptedDraftTokens();
            System.out.printf("%-26s %-28s %-12s %-12s %s%n", e.getKey(), s.format(),
                    String.format("%.2fx", s.median() / c), acceptance, counts);
        }
        System.out.println("(C: one llama_decode per token on its own prompt, the same model and threads; Hearth: the"
                + " engine, one slot; tok/s from the first generated token to the last"
                + (draft == null ? ")" : String.format("; draft model: the same weights in Q4_0, %s, %,d bytes)",
                draft.path().getFileName(), draft.size())));
        double spec = Summary.of(tps.get("Hearth, auto (default)")).median();
        System.out.printf("speculative/C decode: %.2fx%n", spec / c);
    }

    private static String cpu() {
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(model);
        } catch (IOException | RuntimeException e) {
            // not Linux: the model stays unknown
        }
        return model + "; ggml: " + Natives.systemInfo().trim();
    }

    static Path successorModel(WeightType type) {
        Path path = Natives.hearthHome().resolve("models").resolve("bench")
                .resolve("synthetic-0.5b-successor-" + type.name().toLowerCase(java.util.Locale.ROOT) + ".gguf");
        if (!Files.exists(path)) {
            System.err.println("writing the 0.5B-shaped successor model (" + type + ") to " + path);
            SyntheticModel.halfBillion().withWeightType(type).writeSuccessor(path);
        }
        return path;
    }
}
