package dev.hearth.bench;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.ContextParams;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.Grammar;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.Natives;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.llama.internal.Sampler.GrammarWay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code grammar} suite: greedy decode of M tokens on the same model and prompt with a small JSON object schema
 * and without one, alternating; the schema twice more the old ways (the whole vocabulary filtered through the grammar
 * after every refused pick, as llama.cpp's common sampler does; and before every pick); and the same grammar through
 * llama.cpp's own common sampler (native/grammar_bench_c.cpp, on the same libllama), in its own process between
 * Hearth's runs. It also says how often Hearth's way still filtered the whole vocabulary.
 * The schema's strings have no bound, so that the random-weight model keeps writing; each row says how many tokens
 * it generated (a run that ends early is still measured per token).
 */
final class GrammarBench {
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"notes\":"
            + "{\"type\":\"string\"}},\"required\":[\"name\",\"notes\"],\"additionalProperties\":false}";

    private record Run(double decodeTps, int tokens) {
    }

    private GrammarBench() {
    }

    static void run(LlamaBench.Options o) throws IOException, InterruptedException {
        Path model = o.model() != null ? o.model() : LlamaBench.defaultModel();
        int decode = o.decode() == 128 ? 64 : o.decode(); // this suite's default is 64 tokens
        Path peer = nativeBuild().resolve("grammar_bench_c");
        if (!Files.isExecutable(peer)) {
            throw new IllegalStateException("the llama.cpp peer " + peer + " is not built; run"
                    + " scripts/install-natives.sh (or point HEARTH_NATIVE_BUILD at a build of native/)");
        }
        Path gbnf = Files.createTempFile("hearth-grammar-bench", ".gbnf");
        Files.writeString(gbnf, Grammar.jsonSchema(SCHEMA).gbnf());
        List<Run> free = new ArrayList<>(), schema = new ArrayList<>(), filterFirst = new ArrayList<>();
        List<Run> filterOnRefusal = new ArrayList<>(), common = new ArrayList<>();
        long[] counts = new long[6];
        try (LlamaModel m = LlamaModel.load(model, ModelParams.defaults().withGpuLayers(0));
             LlamaContext ctx = m.newContext(ContextParams.defaults().withContextSize(512).withBatchSize(64)
                     .withThreads(o.threads()))) {
            int[] prompt = LlamaBench.prompt(m.nVocab(), 32);
            GenerationParams plain = GenerationParams.defaults().withSampling(SamplingParams.greedy())
                    .withMaxTokens(decode).withIgnoreEog(true);
            GenerationParams json = GenerationParams.defaults().withSampling(SamplingParams.greedy())
                    .withMaxTokens(decode)
                    // the schema's grammar alone: the answers are cut at `decode` tokens on purpose, so not validated
                    .withGrammar(Grammar.gbnf(Grammar.jsonSchema(SCHEMA).gbnf()));
            System.err.printf("model %s: %s; %d threads; decode %d tokens%n", model.getFileName(), m.description(),
                    o.threads(), decode);
            once(ctx, prompt, plain);
            once(ctx, prompt, json); // warm-up: the shim's token pieces and the grammar's caches
            for (int i = 0; i < o.runs(); i++) {
                free.add(once(ctx, prompt, plain));
                long[] before = Sampler.grammarPickCounts();
                schema.add(once(ctx, prompt, json));
                long[] after = Sampler.grammarPickCounts();
                for (int c = 0; c < counts.length; c++) {
                    counts[c] += after[c] - before[c];
                }
                filterOnRefusal.add(onceThe(GrammarWay.FILTER_ON_REFUSAL, ctx, prompt, json));
                filterFirst.add(onceThe(GrammarWay.FILTER_FIRST, ctx, prompt, json));
                common.add(runPeer(peer, model, o.threads(), decode, gbnf));
                System.err.printf("run %d: no schema %.1f tok/s, schema %.1f tok/s (%d tokens), schema filtering on"
                        + " refusal %.1f tok/s, schema filtering first %.1f tok/s, llama.cpp common sampler %.1f tok/s"
                        + " (%d tokens)%n", i + 1, free.getLast().decodeTps(), schema.getLast().decodeTps(),
                        schema.getLast().tokens(), filterOnRefusal.getLast().decodeTps(),
                        filterFirst.getLast().decodeTps(), common.getLast().decodeTps(), common.getLast().tokens());
            }
            print(o, m, decode, List.of(free, schema, filterOnRefusal, filterFirst, common), counts);
        } finally {
            Files.deleteIfExists(gbnf);
        }
    }

    /** Where native/ was built: HEARTH_NATIVE_BUILD, else where scripts/install-natives.sh puts it. */
    private static Path nativeBuild() {
        String explicit = System.getenv("HEARTH_NATIVE_BUILD");
        return explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : Natives.hearthHome().resolve("llama.cpp").resolve(Natives.release()).resolve("native-build");
    }

    private static Run runPeer(Path peer, Path model, int threads, int decode, Path gbnf)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(peer.toString(), model.toString(), Natives.directory().toString(),
                String.valueOf(threads), String.valueOf(decode), gbnf.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("grammar_bench_c failed: " + out);
        }
        String[] f = out.split("\\s+"); // decode_tps X tokens N
        return new Run(Double.parseDouble(f[1]), Integer.parseInt(f[3]));
    }

    private static Run onceThe(GrammarWay way, LlamaContext ctx, int[] prompt, GenerationParams params) {
        Sampler.grammarWayForTests(way);
        try {
            return once(ctx, prompt, params);
        } finally {
            Sampler.grammarWayForTests(GrammarWay.BEST_FIRST);
        }
    }

    private static Run once(LlamaContext ctx, int[] prompt, GenerationParams params) {
        GenerationResult r = ctx.generate(prompt, params, TokenSink.discard());
        return new Run(r.decodeTokensPerSecond(), r.generatedTokens());
    }

    /** rows: no schema, schema, schema filtering on refusal, schema filtering first, llama.cpp. */
    private static void print(LlamaBench.Options o, LlamaModel m, int decode, List<List<Run>> rows, long[] counts) {
        String[] names = {"no schema", "schema (best candidates first)", "schema, filter all on refusal",
            "schema, filter all before each pick", "schema, llama.cpp common sampler"};
        List<Summary> sums = rows.stream().map(r -> Summary.of(r.stream().map(Run::decodeTps).toList())).toList();
        System.out.printf("%ngrammar suite: %s (%,d bytes, %,d tokens), %d threads, greedy decode of up to %d tokens,"
                + " %d alternating runs each, %d cores%nschema %s%n", m.path().getFileName(), m.size(), m.nVocab(),
                o.threads(), decode, o.runs(), Runtime.getRuntime().availableProcessors(), SCHEMA);
        System.out.printf("%-36s %-28s %s%n", "sampling", "decode tok/s median (min-max)", "tokens generated");
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%-36s %-28s %d%n", names[i], sums.get(i).format(), rows.get(i).getLast().tokens());
        }
        long picks = Math.max(1, counts[0]);
        System.out.printf("schema picks: %d, first pick refused: %d (%.1f%%), whole vocabulary filtered: %d (%.1f%%)%n",
                counts[0], counts[1], 100.0 * counts[1] / picks, counts[2], 100.0 * counts[2] / picks);
        System.out.printf("schema sampling CPU per pick: %.0f us (unconstrained pick and check %.0f us, best-first"
                + " search %.0f us per refusal, whole-vocabulary filter %.0f us per filter)%n",
                (counts[3] + counts[4] + counts[5]) / 1e3 / picks, counts[3] / 1e3 / picks,
                counts[4] / 1e3 / Math.max(1, counts[1]), counts[5] / 1e3 / Math.max(1, counts[2]));
        double f = sums.get(0).median(), s = sums.get(1).median();
        System.out.printf("%-36s %8.3f (target >= 0.85)%n", "ratio schema/no schema", s / f);
        System.out.printf("%-36s %8.3f (target >= 1.0)%n", "ratio schema Hearth/llama.cpp", s / sums.get(4).median());
        System.out.printf("%-36s %8.3f%n", "ratio filter on refusal/no schema", sums.get(2).median() / f);
        System.out.printf("%-36s %8.3f%n", "ratio filtered first/no schema", sums.get(3).median() / f);
    }
}
