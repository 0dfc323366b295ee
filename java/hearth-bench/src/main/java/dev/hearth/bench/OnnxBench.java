package dev.hearth.bench;

import dev.hearth.onnx.Embedder;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code onnx} suite: sentences per second embedding 1,000 sentences of mixed length with all-MiniLM-L6-v2
 * (quantized), through Hearth and through LangChain4j's own {@code AllMiniLmL6V2QuantizedEmbeddingModel} (the same
 * model file, the same ONNX Runtime), in batches of 1, 16 and 64, alternating.
 */
final class OnnxBench {
    private static final String[] WORDS = ("local models keep data on the machine while remote vendors answer the"
            + " hard questions with more capable models the router decides where each request goes and why the"
            + " engine batches requests and reuses prefixes memory estimates keep loads within budget").split(" ");

    private OnnxBench() {
    }

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<String> sentences = sentences(n);
        AllMiniLmL6V2QuantizedEmbeddingModel peer = new AllMiniLmL6V2QuantizedEmbeddingModel();
        try (Embedder hearth = Embedder.miniLm()) {
            hearth.embed(sentences.subList(0, 64)); // warm-up
            peer.embedAll(segments(sentences.subList(0, 64)));
            System.out.printf("%nonnx suite: %d sentences (5-120 words), all-MiniLM-L6-v2 quantized, %d cores%n", n,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-6s %-22s %-22s %s%n", "batch", "Hearth sentences/s", "LangChain4j sentences/s", "ratio");
            for (int batch : new int[] {1, 16, 64}) {
                List<Double> h = new ArrayList<>(), l = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i += batch) {
                        hearth.embed(sentences.subList(i, Math.min(n, i + batch)));
                    }
                    h.add(n / ((System.nanoTime() - t0) / 1e9));
                    t0 = System.nanoTime();
                    for (int i = 0; i < n; i += batch) {
                        peer.embedAll(segments(sentences.subList(i, Math.min(n, i + batch))));
                    }
                    l.add(n / ((System.nanoTime() - t0) / 1e9));
                }
                double hm = Summary.of(h).median(), lm = Summary.of(l).median();
                System.out.printf("%-6d %-22.1f %-22.1f %.2fx%n", batch, hm, lm, hm / lm);
            }
        }
        classifier(sentences);
    }

    /** Decision time of the semantic task classifier (rules where certain, else the embedder). */
    private static void classifier(List<String> sentences) {
        var router = dev.hearth.router.Router.fromEnvironment(java.util.Map.of("LLM_STRATEGY", "local_only",
                "HEARTH_CLASSIFIER", "semantic"));
        List<dev.hearth.api.ChatRequest> requests = sentences.stream().map(t -> dev.hearth.api.ChatRequest.of("auto",
                List.of(dev.hearth.api.ChatMessage.user(t.length() > 300 ? t.substring(0, 300) : t)))).toList();
        requests.subList(0, 100).forEach(router::explain);
        long[] nanos = new long[requests.size()];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            router.explain(requests.get(i));
            nanos[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("semantic classifier decision (explain), %d requests: p50 %.2f ms, p99 %.2f ms%n",
                nanos.length, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6);
    }

    private static List<TextSegment> segments(List<String> texts) {
        return texts.stream().map(TextSegment::from).toList();
    }

    private static List<String> sentences(int n) {
        SplittableRandom r = new SplittableRandom(11);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int words = 5 + r.nextInt(116);
            StringBuilder b = new StringBuilder();
            for (int w = 0; w < words; w++) {
                b.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            out.add(b.append('.').toString());
        }
        return out;
    }
}
