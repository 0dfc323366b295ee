package dev.hearth.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.host.Gpu;
import dev.hearth.host.GpuProbe;
import dev.hearth.llama.ContextParams;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.Natives;
import dev.hearth.llama.backend.GgufMemory;
import dev.hearth.llama.gguf.GgufFile;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The {@code gpu} suite, run by scripts/gpu-check.sh on a machine with an NVIDIA GPU: NVML finds the GPU, the CUDA
 * natives are the ones loaded, and a partial offload's memory estimate is held against what llama.cpp allocates on
 * each side (the buffer sizes it logs). Exits non-zero when a check fails.
 */
final class GpuCheck {
    private static final Pattern SIZE = Pattern.compile(
            "(\\S+)\\s+(model|KV|compute|output) buffer size =\\s+([0-9.]+) MiB");

    private GpuCheck() {
    }

    static void run(LlamaBench.Options o) {
        List<Gpu> gpus = GpuProbe.detect().gpus();
        check(!gpus.isEmpty(), "NVML found no GPU (is the NVIDIA driver loaded? nvidia-smi should list one)");
        gpus.forEach(g -> System.out.printf("NVML: GPU %d %s, %,d MiB, %,d MiB free%n", g.index(), g.name(),
                g.totalBytes() >> 20, g.freeBytes() >> 20));
        Path natives = Natives.directory();
        String info = Natives.systemInfo();
        System.out.println("natives: " + natives + "\nllama.cpp: " + info);
        check(info.contains("CUDA"), "the natives loaded from " + natives + " have no CUDA backend; install them with"
                + " scripts/install-natives.sh --cuda and leave HEARTH_NATIVES unset (or point it at their cuda/)");

        Path path = o.model() != null ? o.model() : LlamaBench.defaultModel();
        GgufFile gguf = GgufFile.read(path);
        int context = 4096;
        int layers;
        try (LlamaModel probe = LlamaModel.load(path, ModelParams.defaults().withGpuLayers(0)
                .withVocabOnly(true))) {
            layers = probe.nLayer();
        }
        for (int gpuLayers : new int[] {layers / 2, layers + 1}) {
            long[] real = allocated(path, gpuLayers, context); // {gpu, cpu}
            MemoryEstimate est = GgufMemory.estimate(gguf, EstimateParams.cpu(context).withGpuLayers(gpuLayers));
            double gpuRatio = (double) est.gpu() / real[0];
            System.out.printf("offload %d of %d layers, context %d: GPU estimate %.1f MiB, allocated %.1f MiB (%.3f);"
                    + " CPU estimate %.1f MiB, allocated %.1f MiB (%.3f)%n", Math.min(gpuLayers, layers), layers,
                    context, est.gpu() / 1048576.0, real[0] / 1048576.0, gpuRatio, est.cpu() / 1048576.0,
                    real[1] / 1048576.0, (double) est.cpu() / real[1]);
            check(gpuRatio >= 0.97 && gpuRatio <= 1.10, "the GPU memory estimate is off by more than the CPU tests"
                    + " allow (0.97 to 1.10 of what llama.cpp allocates): fix GgufMemory for CUDA");
        }
        System.out.println("gpu suite: passed");
    }

    /** {GPU bytes, CPU bytes} llama.cpp says it allocated for the model and a context. */
    private static long[] allocated(Path path, int gpuLayers, int context) {
        Logger log = (Logger) LoggerFactory.getLogger("llama.cpp");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        Level level = log.getLevel();
        log.setLevel(Level.INFO); // the buffer sizes are logged at INFO
        try (LlamaModel m = LlamaModel.load(path, ModelParams.defaults().withGpuLayers(gpuLayers));
             LlamaContext c = m.newContext(ContextParams.defaults().withContextSize(context))) {
            long gpu = 0, cpu = 0;
            for (ILoggingEvent e : List.copyOf(lines.list)) {
                Matcher x = SIZE.matcher(e.getFormattedMessage());
                if (x.find()) {
                    long bytes = (long) (Double.parseDouble(x.group(3)) * 1048576);
                    if (x.group(1).matches("CUDA[0-9]+")) { // CUDA_Host buffers are pinned host memory
                        gpu += bytes;
                    } else {
                        cpu += bytes;
                    }
                }
            }
            return new long[] {gpu, cpu};
        } finally {
            log.detachAppender(lines);
            log.setLevel(level);
        }
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            System.out.println("gpu suite: FAILED: " + failure);
            System.exit(1);
        }
    }
}
