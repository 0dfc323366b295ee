package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.TokenSink;
import dev.hearth.api.spi.KvCacheType;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.internal.NativeContext;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.testkit.SyntheticModel;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests and constructors refused part-way free the native objects they had already made (issue 13, items 13-15):
 * the live counts of sampler chains and contexts come back to where they were.
 */
class NativeLeaksTest extends TinyModelTest {
    private static final GenerationParams JSON = GenerationParams.defaults().withMaxTokens(4)
            .withJsonSchema("{\"type\":\"object\"}");

    @Test
    void aSamplerRefusedAfterItsGrammarWasBuiltFreesTheChain() {
        int before = Sampler.live();
        // the grammar sampler is built and in the chain when the logit bias's bad token id is found
        GenerationParams badBias = JSON.withSampling(SamplingParams.defaults()
                .withLogitBias(Map.of(model.nVocab() + 5, 1f)));
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> ctx.generate("x", badBias, TokenSink.discard()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
            }
            assertThat(Sampler.live()).as("chains left behind by refused requests").isEqualTo(before);
            GenerationResult ok = ctx.generate("x", JSON, TokenSink.discard());
            assertThat(ok.generatedTokens()).isPositive();
        }
        assertThat(Sampler.live()).as("chains left after a finished request").isEqualTo(before);
    }

    @Test
    void aSamplerRefusedOnABadTriggerPatternFreesTheChain() {
        int before = Sampler.live();
        Grammar lazy = new Grammar("root ::= \"a\"", true, List.of("("), List.of());
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            assertThatThrownBy(() -> ctx.generate("x", GenerationParams.defaults().withGrammar(lazy),
                    TokenSink.discard())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Sampler.live()).isEqualTo(before);
    }

    @Test
    void everyKindOfContextFreesItsNativeContextOnClose() throws Exception {
        int before = NativeContext.live();
        try (LlamaContext ctx = model.newContext(TestModels.context());
             EmbeddingContext emb = model.newEmbeddingContext(EmbeddingParams.defaults().withThreads(1));
             LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withContextSize(512)
                     .withParallel(1).withThreads(1))) {
            assertThat(NativeContext.live()).isEqualTo(before + 3);
        }
        assertThat(NativeContext.live()).isEqualTo(before);
    }

    @Test
    void aConstructorThatFailsAfterCreatingTheContextFreesIt() {
        int before = NativeContext.live();
        Arena arena = Arena.ofShared();
        NativeContext.Created created = NativeContext.create(model, new NativeContext.Settings(256, 64, 64, 1, 1, 1,
                KvCacheType.F16, NativeContext.MODEL_POOLING, false, false), arena, "");
        assertThat(NativeContext.live()).isEqualTo(before + 1);
        RuntimeException thrown = NativeContext.freeAndRethrow(created, arena,
                new IllegalStateException("a later step failed"));
        assertThat(thrown).hasMessage("a later step failed");
        assertThat(NativeContext.live()).isEqualTo(before);
        assertThat(arena.scope().isAlive()).isFalse();
    }

    @Test
    void aQuantizedKvCacheOnNarrowHeadsIsRefusedBeforeAContextExists() {
        int before = NativeContext.live();
        // the tiny model's heads are 16 wide
        assertThatThrownBy(() -> LlamaEngine.start(model, EngineParams.defaults().withContextSize(512).withParallel(1)
                .withThreads(1).withKvCacheType(KvCacheType.Q8_0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
        assertThat(NativeContext.live()).isEqualTo(before);
    }

    @Test
    void theEngineUsesAQuantizedKvCacheWhenAsked() throws Exception {
        SyntheticModel wide = new SyntheticModel("wide-heads", 128, 1, 2, 2, 128, 1024, 2048,
                dev.hearth.testkit.WeightType.F32, false, 5); // heads 64 wide
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("llama.cpp");
        var lines = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        ch.qos.logback.classic.Level level = logger.getLevel();
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try (LlamaModel m = LlamaModel.load(TestModels.of(wide), ModelParams.defaults());
             LlamaEngine q8 = LlamaEngine.start(m, EngineParams.defaults().withContextSize(512).withParallel(1)
                     .withThreads(1).withKvCacheType(KvCacheType.Q8_0))) {
            assertThat(q8.submit("hello", GenerationParams.defaults().withMaxTokens(3).withIgnoreEog(true),
                    TokenSink.discard()).future().get().tokens()).hasSize(3);
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(level);
        }
        // llama.cpp reports the cache it made: "llama_kv_cache: size = ..., K (q8_0): ..., V (q8_0): ..."
        assertThat(lines.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("K (q8_0)").contains("V (q8_0)"));
    }

    /** A reranker stores n_cls_out scores where an embedder stores n_embd floats: reading it as one would over-read. */
    @Test
    void aRerankerIsRefusedAsAnEmbedderWithAWayOut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reranker.gguf");
        SyntheticModel.tiny().write(file, w -> w.putUInt32("llama.pooling_type", 4));
        int before = NativeContext.live();
        try (LlamaModel reranker = LlamaModel.load(file, ModelParams.defaults())) {
            assertThatThrownBy(() -> reranker.newEmbeddingContext(EmbeddingParams.defaults().withThreads(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reranker")
                    .hasMessageContaining("MEAN");
            assertThat(NativeContext.live()).isEqualTo(before);
            try (EmbeddingContext hidden = reranker.newEmbeddingContext(EmbeddingParams.defaults().withThreads(1)
                    .withPooling(Pooling.MEAN))) {
                assertThat(hidden.embed(List.of("hello")).getFirst()).hasSize(reranker.nEmbd());
            }
        }
        assertThat(Files.size(file)).isPositive();
    }
}
