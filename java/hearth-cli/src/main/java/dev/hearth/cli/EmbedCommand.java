package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.EmbeddingBackend;
import dev.hearth.runtime.Hearth;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth embed "text": a sentence vector from the local ONNX embedder (all-MiniLM-L6-v2 unless --model DIR). */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed texts with the local ONNX embedder and print a summary (--json: the whole vectors).")
final class EmbedCommand implements Callable<Integer>, TakesEnvironment {
    private java.util.Map<String, String> env = java.util.Map.of();

    @Override
    public void environment(java.util.Map<String, String> env) {
        this.env = env;
    }

    @Parameters(arity = "1..*", paramLabel = "TEXT")
    List<String> texts;

    @Option(names = "--json", description = "print the vectors as JSON")
    boolean json;

    @Option(names = "--model", paramLabel = "DIR", description = "a directory with model.onnx and tokenizer.json"
            + " (default: all-MiniLM-L6-v2, quantized, shipped)")
    java.nio.file.Path model;

    @Override
    public Integer call() throws Exception {
        try (Hearth hearth = Hearth.fromEnvironment(env)) {
            EmbeddingBackend embedder = hearth.embedder(model);
            try {
                return print(embedder.embedAll(texts));
            } finally {
                if (model != null && embedder instanceof AutoCloseable own) {
                    own.close();
                }
            }
        }
    }

    private int print(List<EmbeddingBackend.Embedded> r) throws Exception {
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode out = m.createArrayNode();
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode o = out.addObject().put("text", texts.get(i)).put("truncated", r.get(i).truncated());
                ArrayNode v = o.putArray("embedding");
                for (float x : r.get(i).vector()) {
                    v.add(x);
                }
            }
            System.out.println(m.writeValueAsString(out));
            return 0;
        }
        for (int i = 0; i < texts.size(); i++) {
            float[] v = r.get(i).vector();
            StringBuilder head = new StringBuilder();
            for (int d = 0; d < Math.min(6, v.length); d++) {
                head.append(String.format(Locale.ROOT, "%s%.4f", d == 0 ? "" : ", ", v[d]));
            }
            System.out.printf(Locale.ROOT, "%d dimensions, norm %.4f%s: [%s, ...]  %s%n", v.length,
                    norm(v), r.get(i).truncated() ? ", truncated" : "", head,
                    texts.get(i).length() > 50 ? texts.get(i).substring(0, 47) + "..." : texts.get(i));
        }
        if (texts.size() > 1) {
            System.out.printf(Locale.ROOT, "cosine(1, 2) = %.4f%n", EmbeddingBackend.cosine(r.get(0).vector(),
                    r.get(1).vector()));
        }
        return 0;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
