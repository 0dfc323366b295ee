package dev.hearth.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session options in one place: the CUDA execution provider where the ONNX Runtime build has it (the
 * {@code onnxruntime_gpu} artifact, which the set-up picks when an NVIDIA driver is present) and CUDA starts, said in
 * one log line; the CPU otherwise. {@code HEARTH_ONNX_CUDA=false} keeps everything on the CPU.
 */
final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static volatile Boolean logged;

    private Sessions() {
    }

    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        boolean wanted = !"false".equalsIgnoreCase(System.getenv().getOrDefault("HEARTH_ONNX_CUDA", "true"));
        if (wanted && OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            try {
                options.addCUDA(0);
                once("ONNX Runtime: CUDA execution provider on GPU 0");
            } catch (OrtException e) {
                once("ONNX Runtime: CUDA could not start (" + e.getMessage() + "); running on the CPU");
            }
        } else if (logged == null) {
            logged = Boolean.TRUE;
            LOG.debug("ONNX Runtime: CPU execution provider{}", wanted ? " (this build has no CUDA)" : "");
        }
        return options;
    }

    private static void once(String line) {
        if (logged == null) {
            logged = Boolean.TRUE;
            LOG.info(line);
        }
    }
}
