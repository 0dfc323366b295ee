package dev.hearth.llama.backend;

import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.KvCacheType;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.llama.CpuFeatures;
import dev.hearth.llama.gguf.GgufArray;
import dev.hearth.llama.gguf.GgufFile;
import dev.hearth.llama.gguf.TensorInfo;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GGUF model will take in memory, from its metadata alone, split by device: weights (per layer, the output and
 * the embeddings, plus the copies llama.cpp's CPU backend repacks), the KV cache (its element type, sliding-window
 * layers at their window), the compute buffer (logits for a whole micro-batch, activations, the attention mask) and the
 * output buffer. Calibrated against what llama.cpp reports allocating (see {@code GgufMemoryTest}).
 */
public final class GgufMemory {
    private static final Pattern LAYER = Pattern.compile("^blk\\.(\\d+)\\.");
    private static final int KV_PAD = 256;

    private GgufMemory() {
    }

    /** The estimate for the CPU backend this process runs (what it repacks depends on the variant ggml picked). */
    public static MemoryEstimate estimate(GgufFile f, EstimateParams p) {
        return estimate(f, p, p.cpuRepack() ? CpuFeatures.ofLoadedBackend() : new CpuFeatures(java.util.Map.of()));
    }

    /** The estimate for a CPU backend with these features. */
    public static MemoryEstimate estimate(GgufFile f, EstimateParams p, CpuFeatures cpu) {
        Shape s = Shape.of(f);
        int firstGpuLayer = Math.max(0, s.layers - p.gpuLayers());
        boolean outputOnGpu = p.gpuLayers() > s.layers;
        long gpuW = 0, cpuW = 0;
        for (TensorInfo t : f.tensors()) {
            Matcher m = LAYER.matcher(t.name());
            boolean onGpu = m.find() ? Integer.parseInt(m.group(1)) >= firstGpuLayer && p.gpuLayers() > 0
                    : outputOnGpu && !t.name().startsWith("token_embd"); // embeddings stay in RAM (get_rows)
            if (onGpu) {
                gpuW += t.byteSize();
            } else {
                cpuW += t.byteSize();
                // a matrix llama.cpp multiplies (the embeddings are only looked up) that this backend repacks
                if (p.cpuRepack() && t.dims().length == 2 && !t.name().startsWith("token_embd")
                        && cpu.repacks(t.type(), t.dim(0), t.dim(1))) {
                    cpuW += t.byteSize(); // the repacked copy lives beside the mapped file
                }
            }
        }
        long gpuKv = 0, cpuKv = 0;
        int cells = pad(p.contextSize());
        int swaCells = s.window > 0 ? Math.min(cells, pad(p.parallel() * s.window + p.microBatch())) : cells;
        for (int il = 0; il < s.layers; il++) {
            long layerCells = s.isSwa(il) ? swaCells : cells;
            long bytes = p.kvCacheType().bytes(layerCells * s.kvWidth(il));
            if (il >= firstGpuLayer && p.gpuLayers() > 0) {
                gpuKv += bytes;
            } else {
                cpuKv += bytes;
            }
        }
        int ub = Math.min(p.microBatch(), p.contextSize());
        // logits for every token of a micro-batch, plus the larger of two embedding-wide activations and the
        // attention mask over the KV cells (the graph allocator reuses memory, so these do not add up); the mask's
        // share was measured at 1 byte per cell and token up to 2,048 cells and 1.26-1.5 above, so 1.5 is taken there
        long mask = cells <= 2048 ? (long) ub * cells : 3L * ub * cells / 2;
        long compute = 4L * ub * s.vocab + Math.max(8L * ub * s.embd, mask);
        if (p.kvCacheType() != KvCacheType.F16) {
            compute += 8L * ub * s.embd; // dequantized K/V views for attention
        }
        long output = 4L * s.vocab * p.parallel();
        return p.gpuLayers() > 0
                ? new MemoryEstimate(gpuW, cpuW, gpuKv, cpuKv, compute, 8L * ub * s.embd, output)
                : new MemoryEstimate(0, cpuW, 0, cpuKv, 0, compute, output);
    }

    private static int pad(int n) {
        return (n + KV_PAD - 1) / KV_PAD * KV_PAD;
    }

    /** The numbers of a model the estimate needs, read from its metadata. */
    record Shape(int layers, long embd, long vocab, long[] kvHeads, long keyLength, long valueLength, int window,
            boolean[] swa) {
        long kvWidth(int il) {
            long heads = kvHeads[Math.min(il, kvHeads.length - 1)];
            return heads * (keyLength + valueLength);
        }

        boolean isSwa(int il) {
            return window > 0 && swa[il];
        }

        static Shape of(GgufFile f) {
            String a = f.architecture();
            int layers = (int) f.integer(a + ".block_count").orElseThrow(() -> missing(f, a + ".block_count"));
            long embd = f.integer(a + ".embedding_length").orElseThrow(() -> missing(f, a + ".embedding_length"));
            long heads = f.integer(a + ".attention.head_count").orElse(1);
            long[] kvHeads = f.array(a + ".attention.head_count_kv").map(GgufArray::longs)
                    .orElseGet(() -> new long[] {f.integer(a + ".attention.head_count_kv").orElse(heads)});
            long key = f.integer(a + ".attention.key_length").orElse(embd / Math.max(1, heads));
            long value = f.integer(a + ".attention.value_length").orElse(key);
            long vocab = f.integer(a + ".vocab_size").orElseGet(() -> f.array("tokenizer.ggml.tokens")
                    .map(GgufArray::length).orElse(0));
            int window = (int) f.integer(a + ".attention.sliding_window").orElse(0);
            boolean[] swa = new boolean[layers];
            var pattern = f.array(a + ".attention.sliding_window_pattern");
            long every = f.integer(a + ".attention.sliding_window_pattern").orElse(switch (a) {
                case "gemma2", "gpt-oss" -> 2;   // every other layer is full
                case "gemma3", "gemma3n" -> 6;   // five sliding layers, then a full one
                case "cohere2", "llama4" -> 4;
                default -> 1;                    // mistral/phi3 style: all layers slide
            });
            for (int il = 0; il < layers; il++) {
                swa[il] = pattern.isPresent() ? pattern.get().longAt(Math.min(il, pattern.get().length() - 1)) != 0
                        : every <= 1 || il % every < every - 1;
            }
            return new Shape(layers, embd, vocab, kvHeads, key, value, window, swa);
        }

        private static IllegalArgumentException missing(GgufFile f, String key) {
            return new IllegalArgumentException(f.path() + " has no " + key + ": Hearth cannot estimate its memory");
        }
    }
}
