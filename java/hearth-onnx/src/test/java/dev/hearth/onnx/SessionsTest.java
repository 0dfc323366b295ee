package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.testkit.onnx.OnnxWriter;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Where sessions open, on this machine's ONNX Runtime (the CPU build in the tests): CUDA is made present, missing or
 * failing by the {@link Sessions.Cuda} seam, and the session that comes back is a real one that runs.
 */
class SessionsTest {
    /** y = x + 1. */
    static final byte[] MODEL = new OnnxWriter().input("x", OnnxWriter.FLOAT, 1).output("y", OnnxWriter.FLOAT, 1)
            .floats("one", new float[] {1}, 1).node("Add", List.of("x", "one"), List.of("y")).model(17);

    final Logger logger = (Logger) LoggerFactory.getLogger(Sessions.class);
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Level level;

    @BeforeEach
    void listen() {
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logs);
        logger.setLevel(level);
    }

    /** A CUDA the build has, whose {@code addTo} counts its calls and then does {@code then}. */
    static final class StandIn implements Sessions.Cuda {
        final AtomicInteger tries = new AtomicInteger();
        final boolean inBuild;
        final AddStep then;

        interface AddStep {
            void addTo(OrtSession.SessionOptions options) throws OrtException;
        }

        StandIn(boolean inBuild, AddStep then) {
            this.inBuild = inBuild;
            this.then = then;
        }

        @Override
        public boolean inBuild() {
            return inBuild;
        }

        @Override
        public void addTo(OrtSession.SessionOptions options) throws OrtException {
            tries.incrementAndGet();
            then.addTo(options);
        }
    }

    static float run(OrtSession session) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {41}), new long[] {1});
             OrtSession.Result r = session.run(java.util.Map.of("x", x))) {
            return ((float[]) r.get(0).getValue())[0];
        }
    }

    List<String> lines(Level atLeast) {
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast)).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void cudaThatCannotBeAddedFallsBackToTheCpuSaysSoOnceAndIsNotTriedAgain() throws Exception {
        StandIn cuda = new StandIn(true, o -> {
            throw new OrtException("CUDA failure 100: no CUDA-capable device is detected");
        });
        Sessions sessions = new Sessions(true, cuda);
        try (OrtSession first = sessions.open(MODEL, 1); OrtSession second = sessions.open(MODEL, 1)) {
            assertThat(run(first)).isEqualTo(42f);
            assertThat(run(second)).isEqualTo(42f);
        }
        assertThat(cuda.tries).hasValue(1);
        assertThat(lines(Level.INFO)).singleElement().asString().contains("CUDA could not start")
                .contains("no CUDA-capable device").contains("running on the CPU").contains("HEARTH_ONNX_CUDA=false");
        assertThat(logs.list).singleElement().extracting(ILoggingEvent::getLevel).isEqualTo(Level.WARN);
    }

    @Test
    void cudaThatFailsWhenTheSessionStartsFallsBackToACpuSessionWithFreshOptions() throws Exception {
        // the options CUDA leaves make the session fail to start (here: they say the bytes are in ORT's own format)
        StandIn cuda = new StandIn(true, o -> o.addConfigEntry("session.load_model_format", "ORT"));
        Sessions sessions = new Sessions(true, cuda);
        try (OrtSession session = sessions.open(MODEL, 1)) {
            assertThat(run(session)).isEqualTo(42f);
        }
        assertThat(cuda.tries).hasValue(1);
        assertThat(lines(Level.WARN)).singleElement().asString().contains("CUDA could not start")
                .contains("running on the CPU");
    }

    @Test
    void aModelTheCpuCannotLoadEitherIsTheModelsFaultNotCudas() throws Exception {
        StandIn cuda = new StandIn(true, o -> { });
        Sessions sessions = new Sessions(true, cuda);
        assertThatThrownBy(() -> sessions.open(new byte[] {9, 9, 9}, 1)).isInstanceOf(OrtException.class);
        assertThat(lines(Level.INFO)).as("CUDA was not blamed").isEmpty();
        try (OrtSession session = sessions.open(MODEL, 1)) {
            assertThat(run(session)).isEqualTo(42f);
        }
        assertThat(cuda.tries).as("CUDA is still tried").hasValue(2);
        assertThat(lines(Level.INFO)).containsExactly("ONNX Runtime: CUDA execution provider on GPU 0");
    }

    @Test
    void hearthOnnxCudaFalseOpensOnTheCpuWithoutTryingCuda() throws Exception {
        StandIn cuda = new StandIn(true, o -> {
            throw new AssertionError("CUDA was tried");
        });
        Sessions sessions = new Sessions(Sessions.cudaWanted("false"), cuda);
        try (OrtSession session = sessions.open(MODEL, 1)) {
            assertThat(run(session)).isEqualTo(42f);
        }
        assertThat(cuda.tries).hasValue(0);
        assertThat(lines(Level.INFO)).isEmpty();
        assertThat(lines(Level.DEBUG)).singleElement().asString().contains("CPU").contains("HEARTH_ONNX_CUDA=false");
    }

    @Test
    void aBuildWithoutCudaOpensOnTheCpuQuietly() throws Exception {
        StandIn cuda = new StandIn(false, o -> {
            throw new AssertionError("CUDA was tried");
        });
        try (OrtSession session = new Sessions(true, cuda).open(MODEL, 1)) {
            assertThat(run(session)).isEqualTo(42f);
        }
        assertThat(cuda.tries).hasValue(0);
        assertThat(lines(Level.INFO)).isEmpty();
        assertThat(lines(Level.DEBUG)).singleElement().asString().contains("this build has no CUDA");
    }

    @Test
    void onTheCpuBuildTheRealCudaStepFailsAndTheCpuTakesOver() throws Exception {
        assumeFalse(Sessions.Cuda.RUNTIME.inBuild(), "this ONNX Runtime build has CUDA");
        StandIn cuda = new StandIn(true, Sessions.Cuda.RUNTIME::addTo); // ONNX Runtime's own refusal
        try (OrtSession session = new Sessions(true, cuda).open(MODEL, 1)) {
            assertThat(run(session)).isEqualTo(42f);
        }
        assertThat(lines(Level.WARN)).singleElement().asString().contains("CUDA could not start");
    }

    @Test
    void theSettingIsTrueOrFalseAndAnythingElseIsRefusedWithWhatItTakes() {
        for (String yes : new String[] {null, "", " true ", "TRUE", "1", "yes", "On"}) {
            assertThat(Sessions.cudaWanted(yes)).as(String.valueOf(yes)).isTrue();
        }
        for (String no : new String[] {"false", "False", "0", "no", "OFF"}) {
            assertThat(Sessions.cudaWanted(no)).as(no).isFalse();
        }
        assertThatThrownBy(() -> Sessions.cudaWanted("gpu")).isInstanceOf(OnnxException.class)
                .hasMessageContaining("HEARTH_ONNX_CUDA must be true or false").hasMessageContaining("\"gpu\"");
    }
}
