package dev.hearth.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import java.util.Iterator;

/**
 * The java-llama.cpp peer of {@code scripts/bench.sh peers}, run in its own JVM: de.kherud:llama:4.2.0 (JNI,
 * its own bundled llama.cpp) on the same model, threads and greedy decoding, end-of-generation ignored. It takes
 * text, not tokens, so the prompt is text that its tokenizer turns into exactly PREFILL tokens. One warm-up run,
 * then one counted run. Prints {"ttft_s", "prefill_tps", "decode_tps"}.
 */
public final class KherudPeer {
    private KherudPeer() {
    }

    public static void main(String[] args) {
        String model = args[0];
        int threads = Integer.parseInt(args[1]), prefill = Integer.parseInt(args[2]), decode = Integer.parseInt(args[3]);
        ModelParameters params = new ModelParameters().setModel(model).setGpuLayers(0).setThreads(threads)
                .setThreadsBatch(threads).setCtxSize(prefill + decode + 16).setBatchSize(prefill)
                .setUbatchSize(prefill).setParallel(1);
        LlamaModel llama = new LlamaModel(params);
        {
            String prompt = promptOf(llama, prefill);
            String result = "";
            for (int round = 0; round < 2; round++) {
                InferenceParameters inference = new InferenceParameters(prompt).setNPredict(decode + 1)
                        .setTemperature(0f).setIgnoreEos(true).setCachePrompt(false);
                long t0 = System.nanoTime(), t1 = 0;
                int n = 0;
                Iterator<LlamaOutput> it = llama.generate(inference).iterator();
                while (it.hasNext()) {
                    it.next();
                    if (n++ == 0) {
                        t1 = System.nanoTime();
                    }
                }
                long t2 = System.nanoTime();
                double ttft = (t1 - t0) / 1e9;
                result = String.format("{\"ttft_s\": %.6f, \"prefill_tps\": %.3f, \"decode_tps\": %.3f, \"tokens\": %d}",
                        ttft, prefill / ttft, (n - 1) / ((t2 - t1) / 1e9), n);
            }
            System.out.println(result);
            System.out.flush();
        }
        // java-llama.cpp 4.2.0's close() can wait forever on its server thread; the measurement is done.
        Runtime.getRuntime().halt(0);
    }

    // Words of the synthetic vocabulary, one token each, until the prompt is exactly `tokens` long.
    private static String promptOf(LlamaModel llama, int tokens) {
        StringBuilder text = new StringBuilder("Once");
        String[] words = {" the", " model", " java", " code", " story", " water", " people", " world"};
        int i = 0;
        while (llama.encode(text.toString()).length < tokens) {
            text.append(words[i++ % words.length]);
        }
        return text.toString();
    }
}
