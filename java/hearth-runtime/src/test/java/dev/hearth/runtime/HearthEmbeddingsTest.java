package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.EmbeddingBackend;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.llama.EmbeddingContext;
import dev.hearth.llama.EmbeddingParams;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Hearth#embed} with a GGUF embedding model in the model cache: leased from the model host, its vectors
 * llama.cpp's through an {@link EmbeddingContext} of the same size, each call in the ledger with its caller and input
 * tokens, and the texts and the model checked before anything is loaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HearthEmbeddingsTest {
    private static final List<String> TEXTS = List.of("hello world", "once upon a time", "a");

    @TempDir
    static Path dir;
    private Path file;
    private Hearth hearth;

    @BeforeAll
    void open() {
        SyntheticModel.tiny().write(dir.resolve("models").resolve("tiny.gguf"));
        file = dir.resolve("models").resolve("tiny-embed.gguf");
        SyntheticModel.tiny().writeEmbedding(file);
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME",
                "tiny"));
    }

    @AfterAll
    void close() {
        hearth.close();
    }

    @Test
    void vectorsAreLlamaCppsThroughAnEmbeddingContextAndTheModelIsLeasedFromTheHost() throws Exception {
        Vectors v = hearth.embed("tiny-embed", TEXTS);
        assertThat(v.model()).isEqualTo("tiny-embed");
        assertThat(hearth.host().loaded()).anyMatch(m -> m.id().equals("tiny-embed"));
        int context = hearth.engineParams("tiny-embed").orElseThrow().contextSize();
        try (LlamaModel model = LlamaModel.load(file, ModelParams.defaults());
             EmbeddingContext direct = model.newEmbeddingContext(EmbeddingParams.defaults().withBatchTokens(context)
                     .withThreads(1))) {
            List<EmbeddingBackend.Embedded> expected = direct.embedAll(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                // the host's context runs on the machine's threads; threads split rows, not sums, but allow rounding
                assertThat(EmbeddingBackend.cosine(v.vectors().get(i), expected.get(i).vector())).isCloseTo(1.0,
                        within(1e-6));
                assertThat(v.embedded().get(i).tokens()).isEqualTo(expected.get(i).tokens());
            }
        }
    }

    @Test
    void eachCallIsInTheLedgerWithItsCallerAndInputTokens() throws Exception {
        Vectors v = hearth.embed("tiny-embed", TEXTS, EntryPoint.CLI, new Caller(null, "indexer", "u1"));
        hearth.flushCalls();
        CallRecord call = hearth.ledger().call(v.callId()).orElseThrow();
        assertThat(call.entryPoint()).isEqualTo(EntryPoint.CLI);
        assertThat(call.caller().agent()).isEqualTo("indexer");
        assertThat(call.model()).isEqualTo("tiny-embed");
        assertThat(call.provider()).isEqualTo("local");
        assertThat(call.tokens().input()).isEqualTo(v.inputTokens()).isPositive();
        assertThat(call.costUsd()).isZero();
        assertThat(call.outcome()).isEqualTo("ok");
    }

    @Test
    void aChatModelEmptyTextsAndTooManyAreRefusedBeforeAnythingLoads() throws Exception {
        assertThatThrownBy(() -> hearth.embed("tiny", TEXTS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tiny is a chat model").hasMessageContaining("tiny-embed");
        assertThatThrownBy(() -> hearth.embed("tiny-embed", List.of())).hasMessageContaining("there are 0 texts");
        assertThatThrownBy(() -> hearth.embed("tiny-embed", List.of("a", ""))).hasMessageContaining("text 1 is empty");
        assertThatThrownBy(() -> hearth.embed("tiny-embed", Collections.nCopies(Vectors.MAX_TEXTS + 1, "a")))
                .hasMessageContaining("there are 2049 texts");
        assertThat(hearth.host().loaded()).noneMatch(m -> m.id().equals("tiny"));
    }

    @Test
    void aChatWithAnEmbeddingModelIsRefused() throws Exception {
        String model = hearth.use("tiny-embed");
        assertThatThrownBy(() -> hearth.chat(ChatRequest.of(model, List.of(ChatMessage.user("hi")))))
                .hasMessageContaining("tiny-embed is an embedding model").hasMessageContaining("name a chat model");
    }
}
