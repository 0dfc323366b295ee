package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.onnx.OnnxWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real all-MiniLM-L6-v2 (quantized) from Maven Central, through ONNX Runtime and the HF tokenizer. */
class EmbedderTest {
    static Embedder embedder;

    @BeforeAll
    static void load() {
        embedder = Embedder.miniLm();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    /** Pairs written for this test: a sentence and its paraphrase, then an unrelated sentence. */
    static final String[][] PAIRS = {
        {"The cat is sleeping on the sofa.", "A cat naps on the couch.", "The quarterly report is due on Friday."},
        {"How do I reset my password?", "I forgot my password, how can I change it?", "Paris is the capital of France."},
        {"The train to Oslo was delayed by an hour.", "Our train to Oslo arrived sixty minutes late.", "She plays the violin."},
        {"Add two cups of flour to the bowl.", "Put 2 cups of flour in the mixing bowl.", "The server returned a 500 error."},
        {"The stock market fell sharply today.", "Shares dropped steeply on the exchange today.", "My dog loves the beach."},
        {"Please close the window, it's cold.", "Could you shut the window? I'm freezing.", "Jupiter has many moons."},
        {"The meeting has been moved to Tuesday.", "We rescheduled the meeting for Tuesday.", "Bananas are rich in potassium."},
        {"He scored the winning goal in the final minute.", "His last-minute goal won the match.", "The printer is out of toner."},
        {"This restaurant serves excellent sushi.", "The sushi at this place is great.", "Rain is expected this weekend."},
        {"The application crashes when I upload a file.", "Uploading a file makes the app crash.", "The museum opens at nine."},
        {"Turn left at the next traffic light.", "At the upcoming light, take a left.", "Photosynthesis needs sunlight."},
        {"The baby is crying because she is hungry.", "The hungry infant won't stop crying.", "Interest rates rose again."},
        {"I need to buy milk and eggs.", "I have to pick up eggs and milk.", "The volcano erupted last year."},
        {"The hotel room had a view of the sea.", "Our room overlooked the ocean.", "Compile the project with Maven."},
        {"She is learning to speak Japanese.", "She's studying the Japanese language.", "The bridge was closed for repairs."},
        {"The flight was cancelled due to snow.", "Snow caused the flight to be cancelled.", "He painted the fence white."},
        {"Water boils at 100 degrees Celsius.", "At 100 °C, water starts to boil.", "The novel has three hundred pages."},
        {"The laptop battery drains very fast.", "My notebook's battery runs out quickly.", "Tigers are endangered."},
        {"Can you recommend a good book?", "Do you have a book suggestion for me?", "The soup needs more salt."},
        {"The concert was sold out in minutes.", "Tickets for the concert sold out almost instantly.", "Glaciers are melting."},
        {"Our team won the championship.", "We won the title this season.", "The recipe calls for garlic."}};

    @Test
    void theSameTextGivesTheSameVectorOfTheModelsWidthAndUnitLength() {
        var r = embedder.embedTexts(List.of("Local models keep data on the machine.", "Local models keep data on the machine."));
        assertThat(r.dimensions()).isEqualTo(384);
        assertThat(embedder.dimensions()).isEqualTo(384);
        assertThat(embedder.name()).isEqualTo("local:all-MiniLM-L6-v2");
        assertThat(r.vectors().get(0)).containsExactly(r.vectors().get(1));
        assertThat(EmbeddingResult.cosine(r.vectors().get(0), r.vectors().get(0))).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void aBatchGivesWhatOneByOneGivesDespiteThePadding() {
        List<String> texts = List.of("short", "a somewhat longer sentence with more tokens in it",
                "Medium length text here.", "x");
        var batch = embedder.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = embedder.embedTexts(List.of(texts.get(i))).vectors().getFirst();
            float[] inBatch = batch.vectors().get(i);
            for (int d = 0; d < alone.length; d++) {
                assertThat(inBatch[d]).as("text %d dim %d", i, d).isCloseTo(alone[d], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        assertThat(PAIRS.length).isGreaterThanOrEqualTo(20);
        List<String> all = new ArrayList<>();
        for (String[] p : PAIRS) {
            all.addAll(List.of(p));
        }
        var v = embedder.embedTexts(all).vectors();
        for (int i = 0; i < PAIRS.length; i++) {
            double close = EmbeddingResult.cosine(v.get(3 * i), v.get(3 * i + 1));
            double far = EmbeddingResult.cosine(v.get(3 * i), v.get(3 * i + 2));
            assertThat(close).as("%s ~ %s vs %s", PAIRS[i][0], PAIRS[i][1], PAIRS[i][2]).isGreaterThan(far);
        }
    }

    @Test
    void aTextLongerThanTheModelReadsIsCutAndFlagged() {
        var r = embedder.embedTexts(List.of("word ".repeat(600), "short text"));
        assertThat(r.truncated()).containsExactly(true, false);
        assertThat(r.tokens().get(0)).as("cut at the model's 256 tokens").isEqualTo(256);
        assertThat(r.tokens().get(1)).as("[CLS] short text [SEP]").isEqualTo(4);
        assertThat(embedder.embedAll(List.of("short text")).getFirst().tokens()).isEqualTo(4);
    }

    @Test
    void missingOrCorruptFilesGiveClearErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Embedder.fromDirectory(dir, 256, Embedder.Pooling.MEAN, 8, 1, Embedder.Batching.PADDED))
                .isInstanceOf(OnnxException.class).hasMessageContaining("no model.onnx");
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5});
        Files.writeString(dir.resolve("tokenizer.json"), "{ not a tokenizer");
        assertThatThrownBy(() -> Embedder.fromDirectory(dir, 256, Embedder.Pooling.MEAN, 8, 1, Embedder.Batching.PADDED))
                .isInstanceOf(OnnxException.class).hasMessageContaining("tokenizer");
        try (var in = Embedder.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
        }
        assertThatThrownBy(() -> Embedder.fromDirectory(dir, 256, Embedder.Pooling.MEAN, 8, 1, Embedder.Batching.PADDED))
                .isInstanceOf(OnnxException.class).hasMessageContaining("complete .onnx model");
    }

    @Test
    void aFloatModelRunsInPaddedBatchesThatEqualOneByOne(@TempDir Path dir) throws Exception {
        // a token-wise float model (each token's vector depends on that token only): padding under the mask is inert
        int vocab = 30522, dims = 8;
        float[] table = new float[vocab * dims];
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) (r.nextDouble() * 2 - 1);
        }
        byte[] model = new OnnxWriter().input("input_ids", OnnxWriter.INT64, "b", "s")
                .input("attention_mask", OnnxWriter.INT64, "b", "s")
                .output("last_hidden_state", OnnxWriter.FLOAT, "b", "s", dims)
                .floats("E", table, vocab, dims)
                .node("Gather", List.of("E", "input_ids"), List.of("last_hidden_state")).model(17);
        Files.write(dir.resolve("model.onnx"), model);
        try (var in = Embedder.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
        }
        List<String> texts = List.of("a", "a much longer text that needs padding in the batch", "medium text");
        try (Embedder padded = Embedder.fromDirectory(dir, 64, Embedder.Pooling.MEAN, 16, 1, Embedder.Batching.PADDED)) {
            var batch = padded.embedTexts(texts).vectors();
            for (int i = 0; i < texts.size(); i++) {
                assertThat(batch.get(i)).as("text %d", i).containsExactly(padded.embed(List.of(texts.get(i))).getFirst(),
                        org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(padded.dimensions()).isEqualTo(dims);
        }
    }
}
