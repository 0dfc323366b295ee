package dev.hearth.bench;

import dev.hearth.api.TokenSink;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.KvCacheType;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.backend.GgufMemory;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.EngineResult;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.gguf.GgufFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code kv} suite: what a quantized KV cache buys in the engine. For F16 and Q8_0 K and V: 4,096-token contexts
 * per GiB of KV cache (from the memory estimate, which the tests hold within 10% of what llama.cpp allocates), and
 * greedy decode tok/s of one stream at a depth of 4,096 tokens, the two types alternated run by run.
 */
final class KvBench {
    private static final int DEPTH = Integer.getInteger("hearth.bench.kvDepth", 4096);
    private static final KvCacheType[] TYPES = {KvCacheType.F16, KvCacheType.Q8_0};

    private KvBench() {
    }

    static void run(LlamaBench.Options o) throws InterruptedException {
        Path path = o.model() != null ? o.model() : LlamaBench.defaultModel();
        int generate = Math.max(2, Math.min(o.decode(), 64));
        GgufFile gguf = GgufFile.read(path);
        Map<KvCacheType, List<Double>> decode = new EnumMap<>(KvCacheType.class);
        try (LlamaModel model = LlamaModel.load(path, ModelParams.defaults().withGpuLayers(0))) {
            System.out.printf("%nkv suite: %s (%,d bytes), %d threads, depth %,d, %d generated, %d runs, %d cores%n",
                    path.getFileName(), model.size(), o.threads(), DEPTH, generate, o.runs(),
                    Runtime.getRuntime().availableProcessors());
            GenerationParams params = GenerationParams.defaults().withSampling(SamplingParams.greedy())
                    .withMaxTokens(generate).withIgnoreEog(true);
            int[] prompt = LlamaBench.prompt(model.nVocab(), DEPTH - generate);
            for (int r = 0; r < o.runs(); r++) {
                for (KvCacheType type : TYPES) { // alternated, so a change in the machine's load hits both
                    try (LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(1)
                            .withContextSize(DEPTH + 64).withBatchSize(512).withThreads(o.threads())
                            .withKvCacheType(type))) {
                        EngineResult result = engine.submit(prompt, params, TokenSink.discard(), null).result();
                        decode.computeIfAbsent(type, t -> new ArrayList<>()).add(result.stats()
                                .decodeTokensPerSecond());
                    }
                }
            }
        }
        System.out.printf("%-8s %-26s %s%n", "KV type", "4,096-token contexts/GiB", "decode tok/s at depth "
                + DEPTH);
        Map<KvCacheType, Double> perGib = new EnumMap<>(KvCacheType.class);
        for (KvCacheType type : TYPES) {
            long kv = GgufMemory.estimate(gguf, EstimateParams.cpu(4096).withKvCacheType(type)).cpuKv();
            perGib.put(type, (double) (1L << 30) / kv);
            System.out.printf("%-8s %-26.1f %s%n", type, perGib.get(type), Summary.of(decode.get(type)).format());
        }
        System.out.printf("Q8_0/F16: %.2fx contexts per GiB, %.2fx decode tok/s%n",
                perGib.get(KvCacheType.Q8_0) / perGib.get(KvCacheType.F16),
                Summary.of(decode.get(KvCacheType.Q8_0)).median() / Summary.of(decode.get(KvCacheType.F16)).median());
    }
}
