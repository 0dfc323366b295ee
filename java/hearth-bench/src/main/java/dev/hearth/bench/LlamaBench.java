package dev.hearth.bench;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.ContextParams;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.Natives;
import dev.hearth.llama.SamplingParams;
import dev.hearth.testkit.SyntheticModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code llama} suite: prefill of N tokens and greedy decode of M tokens (end-of-generation ignored) on the
 * same model through Hearth (in this JVM, over FFM) and through native/llama_bench_c.c (a C program on the same
 * libllama), alternating C, Hearth, C, Hearth... Both warm up once; medians of the counted runs are compared.
 */
final class LlamaBench {
    record Options(Path model, int threads, int prefill, int decode, int runs) {
        static Options parse(String[] args) {
            Path model = null;
            int threads = 2, prefill = 512, decode = 128, runs = 5;
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--model" -> model = Path.of(value);
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--prefill" -> prefill = Integer.parseInt(value);
                    case "--decode" -> decode = Integer.parseInt(value);
                    case "--runs" -> runs = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(model, threads, prefill, decode, runs);
        }
    }

    record Run(double prefillTps, double decodeTps) {
    }

    private LlamaBench() {
    }

    static void run(Options o) throws IOException, InterruptedException {
        Path model = o.model() != null ? o.model() : defaultModel();
        Path peer = Natives.hearthHome().resolve("llama.cpp").resolve(Natives.release()).resolve("native-build")
                .resolve("llama_bench_c");
        if (!Files.isExecutable(peer)) {
            throw new IllegalStateException("the C peer " + peer + " is not built; run scripts/install-natives.sh");
        }
        List<Run> c = new ArrayList<>(), hearth = new ArrayList<>();
        try (LlamaModel m = LlamaModel.load(model, ModelParams.defaults().withGpuLayers(0));
             LlamaContext ctx = m.newContext(ContextParams.defaults().withContextSize(o.prefill() + o.decode() + 16)
                     .withBatchSize(o.prefill()).withMicroBatch(o.prefill()).withThreads(o.threads()))) {
            int[] prompt = prompt(m.nVocab(), o.prefill());
            GenerationParams params = GenerationParams.defaults().withSampling(SamplingParams.greedy())
                    .withMaxTokens(o.decode() + 1).withIgnoreEog(true);
            System.err.printf("model %s: %s, %,d bytes of weights; %d threads%n", model.getFileName(),
                    m.description(), m.size(), o.threads());
            runHearth(ctx, prompt, params); // warm-up (the C program warms up inside each of its runs)
            for (int i = 0; i < o.runs(); i++) {
                c.add(runC(peer, model, o));
                hearth.add(runHearth(ctx, prompt, params));
                System.err.printf("run %d: C %.1f / %.1f tok/s, Hearth %.1f / %.1f tok/s%n", i + 1,
                        c.getLast().prefillTps(), c.getLast().decodeTps(),
                        hearth.getLast().prefillTps(), hearth.getLast().decodeTps());
            }
            print(o, m, c, hearth);
        }
    }

    /** The C program's prompt: token i is 1 + (i * 7919) % (n_vocab - 1). */
    static int[] prompt(int nVocab, int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = 1 + (int) (((long) i * 7919) % (nVocab - 1));
        }
        return tokens;
    }

    private static Run runHearth(LlamaContext ctx, int[] prompt, GenerationParams params) {
        GenerationResult r = ctx.generate(prompt, params, TokenSink.discard());
        return new Run(r.prefillTokensPerSecond(), r.decodeTokensPerSecond());
    }

    static Run runC(Path peer, Path model, Options o) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(peer.toString(), model.toString(), Natives.directory().toString(),
                String.valueOf(o.threads()), String.valueOf(o.prefill()), String.valueOf(o.decode()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("llama_bench_c failed: " + out);
        }
        String[] f = out.split("\\s+"); // prefill_tps X decode_tps Y
        return new Run(Double.parseDouble(f[1]), Double.parseDouble(f[3]));
    }

    private static void print(Options o, LlamaModel m, List<Run> c, List<Run> hearth) {
        Summary cp = Summary.of(c.stream().map(Run::prefillTps).toList());
        Summary cd = Summary.of(c.stream().map(Run::decodeTps).toList());
        Summary hp = Summary.of(hearth.stream().map(Run::prefillTps).toList());
        Summary hd = Summary.of(hearth.stream().map(Run::decodeTps).toList());
        System.out.printf("%nllama suite: %s (%,d bytes), %d threads, prefill %d tokens, decode %d tokens,"
                + " %d alternating runs each, %d cores%n", m.path().getFileName(), m.size(), o.threads(), o.prefill(),
                o.decode(), o.runs(), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-22s %-28s %-28s%n", "system", "prefill tok/s median (min-max)", "decode tok/s median (min-max)");
        System.out.printf("%-22s %-28s %-28s%n", "C (llama_bench_c)", cp.format(), cd.format());
        System.out.printf("%-22s %-28s %-28s%n", "Hearth (Java, FFM)", hp.format(), hd.format());
        System.out.printf("%-22s %8.3f                     %8.3f%n", "ratio Hearth/C", hp.median() / cp.median(),
                hd.median() / cd.median());
    }

    static Path defaultModel() {
        Path path = Natives.hearthHome().resolve("models").resolve("bench").resolve("synthetic-0.5b-q8_0.gguf");
        if (!Files.exists(path)) {
            System.err.println("writing the 0.5B-shaped synthetic model (Q8_0) to " + path);
            SyntheticModel.halfBillion().write(path);
        }
        return path;
    }
}
