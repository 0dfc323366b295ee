package dev.hearth.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.hearth.api.Settings;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ONNX Runtime sessions are opened, in one place: on CUDA where the ONNX Runtime build has its execution provider
 * (the {@code onnxruntime_gpu} artifact, which the set-up picks when an NVIDIA driver is present) and CUDA starts; on
 * the CPU otherwise. CUDA can fail when the provider is added (its libraries do not load) or when the session starts
 * (no usable device): either way the model opens on the CPU, said in one log line, and later sessions go straight to
 * the CPU. {@code HEARTH_ONNX_CUDA=false} keeps everything on the CPU without trying CUDA. Thread-safe.
 */
final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    static final String SETTING = "HEARTH_ONNX_CUDA";

    /** ONNX Runtime's CUDA execution provider, behind a seam so that a test can make it missing or failing. */
    interface Cuda {
        /** Whether this ONNX Runtime build has the CUDA execution provider. */
        boolean inBuild();

        /** Adds the CUDA execution provider on GPU 0 to {@code options}; throws when its libraries cannot start. */
        void addTo(OrtSession.SessionOptions options) throws OrtException;

        /** The real one. */
        Cuda RUNTIME = new Cuda() {
            @Override
            public boolean inBuild() {
                return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
            }

            @Override
            public void addTo(OrtSession.SessionOptions options) throws OrtException {
                options.addCUDA(0);
            }
        };
    }

    private static Sessions system;

    private final boolean cudaWanted;
    private final Cuda cuda;
    private final AtomicBoolean told = new AtomicBoolean();
    private final AtomicBoolean cudaFailed = new AtomicBoolean();

    Sessions(boolean cudaWanted, Cuda cuda) {
        this.cudaWanted = cudaWanted;
        this.cuda = cuda;
    }

    /** The process's sessions, as {@code HEARTH_ONNX_CUDA} sets them. */
    static synchronized Sessions system() {
        if (system == null) {
            system = new Sessions(cudaWanted(System.getenv(SETTING)), Cuda.RUNTIME);
        }
        return system;
    }

    /** {@code HEARTH_ONNX_CUDA}: unset or empty to use CUDA where it can start; else a flag ({@link Settings#flag}). */
    static boolean cudaWanted(String setting) {
        if (setting == null || setting.isBlank()) {
            return true;
        }
        try {
            return Settings.flag(SETTING, setting);
        } catch (IllegalArgumentException e) {
            throw new OnnxException(e.getMessage() + "; unset, ONNX models run on CUDA where it can start", null);
        }
    }

    /**
     * A session for {@code model} with {@code threads} intra-op threads, on CUDA where it starts, else on the CPU.
     *
     * @throws OrtException when ONNX Runtime cannot load the model on the CPU either (the model is at fault)
     */
    OrtSession open(byte[] model, int threads) throws OrtException {
        if (!cudaWanted || cudaFailed.get() || !cuda.inBuild()) {
            if (told.compareAndSet(false, true)) {
                LOG.debug("ONNX Runtime: CPU execution provider ({})", cudaWanted ? "this build has no CUDA"
                        : SETTING + "=false");
            }
            return onCpu(model, threads);
        }
        OrtException failure;
        try (OrtSession.SessionOptions options = options(threads)) {
            cuda.addTo(options);
            OrtSession session = OrtEnvironment.getEnvironment().createSession(model, options);
            if (told.compareAndSet(false, true)) {
                LOG.info("ONNX Runtime: CUDA execution provider on GPU 0");
            }
            return session;
        } catch (OrtException e) {
            failure = e;
        }
        // the CPU decides whether CUDA or the model was at fault: a model it cannot load either throws from here
        OrtSession session = onCpu(model, threads);
        if (cudaFailed.compareAndSet(false, true)) {
            told.set(true);
            LOG.warn("ONNX Runtime: CUDA could not start ({}); running on the CPU (set {}=false to skip CUDA)",
                    failure.getMessage(), SETTING);
        }
        return session;
    }

    private static OrtSession onCpu(byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = options(threads)) {
            return OrtEnvironment.getEnvironment().createSession(model, options);
        }
    }

    private static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return options;
        } catch (OrtException e) {
            options.close();
            throw e;
        }
    }
}
