package dev.hearth.bench;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.engine.Completion;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.EngineResult;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.Natives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code engine} suite: aggregate generated tok/s of N concurrent streams through one engine against the same
 * N requests one after another through the same engine, and the time to first token of a second chat turn with
 * the first turn's prefix cached against the same turn in a cold slot. Each stream count alternates Hearth concurrent,
 * Hearth sequential and the C peer for {@code --runs} rounds and compares medians.
 */
final class EngineBench {
    private EngineBench() {
    }

    static void run(LlamaBench.Options o) throws InterruptedException {
        Path path = o.model() != null ? o.model() : LlamaBench.defaultModel();
        int prompt = 128, generate = Math.max(1, Math.min(o.decode(), 128)); // --decode 64: a quicker run
        int[] counts = streamCounts();
        int maxStreams = Arrays.stream(counts).max().orElse(1);
        double worst = Double.MAX_VALUE;
        ModelParams load = ModelParams.defaults().withGpuLayers(gpuLayers())
                .withExtraBuffers(!Boolean.getBoolean("hearth.bench.noRepack"));
        try (LlamaModel model = LlamaModel.load(path, load);
             LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(maxStreams)
                     .withContextSize(maxStreams * (prompt + generate + 64)).withBatchSize(512).withPrefillChunk(128)
                     .withThreads(o.threads()))) {
            GenerationParams params = GenerationParams.defaults().withSampling(SamplingParams.greedy())
                    .withMaxTokens(generate).withIgnoreEog(true);
            engine.submit(tokens(model, 0, prompt), params, TokenSink.discard(), null).result(); // warm-up
            System.out.printf("%nengine suite: %s (%,d bytes), %d threads, %d-token prompts, %d generated,"
                    + " %d alternating runs per stream count, %d cores%n", path.getFileName(), model.size(),
                    o.threads(), prompt, generate, o.runs(), Runtime.getRuntime().availableProcessors());
            System.out.printf("%-8s %-22s %-22s %-16s %-22s %-22s %-14s %s%n", "streams", "Hearth concurrent",
                    "Hearth sequential", "p95 ITL ms", "C concurrent", "C sequential", "Hearth/C ratio",
                    "engine/best-of");
            for (int streams : counts) {
                List<Double> concurrent = new ArrayList<>(), sequential = new ArrayList<>(), cConcurrent =
                        new ArrayList<>(), cSequential = new ArrayList<>(), p95 = new ArrayList<>();
                for (int r = 0; r < o.runs(); r++) { // Hearth concurrent, Hearth sequential, C; again
                    double[] run = concurrent(engine, model, streams, prompt, params, r);
                    concurrent.add(run[0]);
                    for (int i = 1; i < run.length; i++) {
                        p95.add(run[i]);
                    }
                    sequential.add(sequential(engine, model, streams, prompt, params, r));
                    double[] c = batchedC(path, o.threads(), streams, prompt, generate);
                    cConcurrent.add(c[0]);
                    cSequential.add(c[1]);
                }
                Summary hc = Summary.of(concurrent), hs = Summary.of(sequential), cc = Summary.of(cConcurrent),
                        cs = Summary.of(cSequential), itl = Summary.of(p95);
                double hearthRatio = hc.median() / hs.median(), cRatio = cc.median() / cs.median();
                double vsBest = hc.median() / Math.max(hs.median(), cc.median());
                worst = Math.min(worst, vsBest);
                System.out.printf("%-8d %-22s %-22s %-16s %-22s %-22s %-14.2f %.2fx%n", streams, hc.format().strip(),
                        hs.format().strip(), String.format("%.0f (%.0f-%.0f)", itl.median(), itl.min(), itl.max()),
                        cc.format().strip(), cs.format().strip(), hearthRatio / cRatio, vsBest);
            }
            System.out.println("(tok/s = generated tokens per second over all streams, prefill included, median"
                    + " (min-max) of the runs; p95 ITL = each stream's 95th-percentile time between two of its tokens"
                    + " in the concurrent runs: the median stream's (best-worst); C = native/llama_batched_c.c,"
                    + " llama.cpp's own batched decoding with the engine's settings; ratios of medians; best-of = the"
                    + " better of Hearth sequential and C concurrent)");
        }
        if (System.getenv("HEARTH_BENCH_STREAMS") == null) { // a chosen set of stream counts: the comparison only
            secondTurn(path, o);
        }
        System.out.printf("worst engine/best-of(sequential, llama.cpp batched): %.2fx%n", worst); // the last line
    }

    private static void secondTurn(Path path, LlamaBench.Options o) throws InterruptedException {
        try (LlamaModel model = LlamaModel.load(path, ModelParams.defaults().withGpuLayers(0));
             LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(2)
                     .withContextSize(4096).withBatchSize(512).withThreads(o.threads()))) {
            GenerationParams params = GenerationParams.defaults().withSampling(SamplingParams.greedy())
                    .withMaxTokens(16).withIgnoreEog(true);
            secondTurn(engine, model, params, o.runs());
        }
    }

    /** The stream counts measured: HEARTH_BENCH_STREAMS (e.g. 1,4,16), else 1 to 8. */
    private static int[] streamCounts() {
        String set = System.getenv("HEARTH_BENCH_STREAMS");
        return set == null || set.isBlank() ? new int[] {1, 2, 3, 4, 5, 6, 7, 8}
                : Arrays.stream(set.split(",")).mapToInt(v -> Integer.parseInt(v.strip())).toArray();
    }

    /** Layers offloaded to the GPU, by Hearth and the C peer alike: HEARTH_BENCH_GPU_LAYERS, else none. */
    static int gpuLayers() {
        return Integer.parseInt(System.getenv().getOrDefault("HEARTH_BENCH_GPU_LAYERS", "0").strip());
    }

    /** {concurrent, sequential} tok/s of the same workload in plain C over the same libllama. */
    private static double[] batchedC(Path model, int threads, int streams, int prompt, int generate) {
        // HEARTH_BENCH_PEER_DIR: a native/ build linked against other natives (scripts/gpu-check.sh: the CUDA ones)
        String peerDir = System.getenv("HEARTH_BENCH_PEER_DIR");
        Path peer = (peerDir != null ? Path.of(peerDir) : Natives.hearthHome().resolve("llama.cpp")
                .resolve(Natives.release()).resolve("native-build")).resolve("llama_batched_c");
        try {
            Process p = new ProcessBuilder(peer.toString(), model.toString(), Natives.directory().toString(),
                    String.valueOf(threads), String.valueOf(streams), String.valueOf(prompt), String.valueOf(generate))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("llama_batched_c failed: " + out);
            }
            String[] f = out.split("\\s+"); // streams N concurrent_tps X sequential_tps Y
            return new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[5])};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + peer + "; run scripts/install-natives.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // distinct prompts, so that no request reuses another's prefix
    private static int[] tokens(LlamaModel model, int salt, int n) {
        int[] t = LlamaBench.prompt(model.nVocab(), n + salt * 7);
        return Arrays.copyOfRange(t, salt * 7, salt * 7 + n);
    }

    /** {aggregate tok/s, then each stream's p95 inter-token latency in ms}. */
    private static double[] concurrent(LlamaEngine engine, LlamaModel model, int streams, int prompt,
            GenerationParams params, int run) throws InterruptedException {
        long t0 = System.nanoTime();
        List<Completion> running = new ArrayList<>();
        List<List<Long>> arrivals = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            List<Long> times = java.util.Collections.synchronizedList(new ArrayList<>());
            arrivals.add(times);
            running.add(engine.submit(tokens(model, 100 + i + streams * 10 + run * 1000, prompt), params,
                    text -> times.add(System.nanoTime()), null));
        }
        long generated = 0;
        for (Completion c : running) {
            generated += c.result().tokens().length;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(generated / seconds),
                arrivals.stream().mapToDouble(EngineBench::p95Gap)).toArray();
    }

    /** The 95th percentile of the gaps between a stream's token arrivals, in ms (0 for fewer than two). */
    static double p95Gap(List<Long> arrivals) {
        List<Long> times;
        synchronized (arrivals) {
            times = List.copyOf(arrivals);
        }
        if (times.size() < 2) {
            return 0;
        }
        double[] gaps = new double[times.size() - 1];
        for (int i = 1; i < times.size(); i++) {
            gaps[i - 1] = (times.get(i) - times.get(i - 1)) / 1e6;
        }
        Arrays.sort(gaps);
        return gaps[Math.min(gaps.length - 1, (int) Math.ceil(0.95 * gaps.length) - 1)];
    }

    private static double sequential(LlamaEngine engine, LlamaModel model, int streams, int prompt,
            GenerationParams params, int run) throws InterruptedException {
        long t0 = System.nanoTime(), generated = 0;
        for (int i = 0; i < streams; i++) {
            generated += engine.submit(tokens(model, 300 + i + streams * 10 + run * 1000, prompt), params,
                    TokenSink.discard(), null)
                    .result().tokens().length;
        }
        return generated / ((System.nanoTime() - t0) / 1e9);
    }

    // A 1,000-token conversation, then its next turn: once with the conversation cached, once in a cold slot.
    private static void secondTurn(LlamaEngine engine, LlamaModel model, GenerationParams params, int runs)
            throws InterruptedException {
        List<Double> warm = new ArrayList<>(), cold = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            int[] history = tokens(model, 500 + r, 1000);
            EngineResult first = engine.submit(history, params, TokenSink.discard(), null).result();
            int[] next = concat(history, first.tokens(), tokens(model, 700 + r, 24));
            EngineResult cached = engine.submit(next, params, TokenSink.discard(), null).result();
            warm.add(cached.stats().timeToFirstToken().toNanos() / 1e6);
            int[] fresh = concat(tokens(model, 900 + r, 1000), first.tokens(), tokens(model, 700 + r, 24));
            EngineResult uncached = engine.submit(fresh, params, TokenSink.discard(), null).result();
            cold.add(uncached.stats().timeToFirstToken().toNanos() / 1e6);
        }
        Summary w = Summary.of(warm), c = Summary.of(cold);
        System.out.printf("%nsecond chat turn (1,000-token history + 24 new tokens), %d runs:%n", runs);
        System.out.printf("TTFT with prefix reuse    %s ms%n", w.format());
        System.out.printf("TTFT without (cold slot)  %s ms%n", c.format());
        System.out.printf("ratio with/without        %.3f%n", w.median() / c.median());
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
