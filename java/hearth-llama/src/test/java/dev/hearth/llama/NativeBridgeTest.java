package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.api.InvalidModelException;
import dev.hearth.testkit.GgufWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** llama.cpp's log reaches SLF4J, and its reasons reach the exceptions Hearth throws. */
class NativeBridgeTest {
    @TempDir
    Path dir;

    @Test
    void llamaCppLogLinesReachTheJavaLogger() {
        Logger logger = (Logger) LoggerFactory.getLogger("llama.cpp");
        Level old = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
            assertThat(model.nVocab()).isPositive();
        } finally {
            logger.setLevel(old);
            logger.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("llama_model_loader"));
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("\n"));
    }

    @Test
    void aFileLlamaCppRefusesGivesItsReason() {
        Path file = dir.resolve("unknown-arch.gguf");
        new GgufWriter().putString("general.architecture", "not-a-real-architecture").write(file);
        assertThatThrownBy(() -> LlamaModel.load(file, ModelParams.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("refused it")
                .hasMessageContaining("not-a-real-architecture");
    }

    @Test
    void cancellingBeforeThePromptIsProcessedAbortsTheDecode() throws Exception {
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults());
             LlamaContext ctx = model.newContext(TestModels.context());
             TokenStream stream = ctx.stream("the model ".repeat(40), GenerationParams.defaults().withMaxTokens(50))) {
            Thread canceller = new Thread(ctx::cancel);
            canceller.start();
            canceller.join();
            assertThat(stream.iterator().hasNext()).isFalse();
            assertThat(stream.result().finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(stream.result().generatedTokens()).isZero();
        }
    }

    @Test
    void theNativesReportWhereTheyCameFrom() {
        assertThat(Natives.directory()).isDirectory();
        assertThat(Natives.systemInfo()).contains("CPU");
        assertThat(Natives.release()).isEqualTo("v0.5.0");
    }
}
