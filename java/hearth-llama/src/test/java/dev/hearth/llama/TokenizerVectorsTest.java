package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.InvalidModelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * llama.cpp's tokenizer test vectors (models/ggml-vocab-*.gguf with .inp/.out, installed by
 * scripts/install-natives.sh) run through Hearth's tokenizer on a vocabulary-only load, with the conventions of
 * llama.cpp's tests/test-tokenizer-0.cpp: inputs separated by "\n__ggml_vocab_test__\n", one line of expected ids
 * per input, no BOS/EOS added and control tokens not parsed. That test checks the ids only, and so does this one.
 */
class TokenizerVectorsTest {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    static Path directory() {
        Path dir = Natives.hearthHome().resolve("llama.cpp").resolve(Natives.release())
                .resolve("vocab");
        assertThat(dir).as("installed by scripts/install-natives.sh").isDirectory();
        return dir;
    }

    /** The vocabulary files that come with test vectors. */
    static List<Path> vocabularies() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            List<Path> vocabs = files.filter(p -> p.getFileName().toString().endsWith(".gguf"))
                    .filter(p -> Files.exists(Path.of(p + ".inp")) && Files.exists(Path.of(p + ".out")))
                    .sorted().toList();
            assertThat(vocabs).as("ggml-vocab-*.gguf with .inp/.out in " + directory()).hasSizeGreaterThan(10);
            return vocabs;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyVectorOfEveryVocabularyMatches() throws IOException {
        return vocabularies().stream().map(vocab -> DynamicTest.dynamicTest(
                vocab.getFileName().toString(), () -> checkVectors(vocab)));
    }

    /** Those without vectors too (aquila, baichuan, gpt-neox, nomic-bert-moe): each loads and tokenizes. */
    @TestFactory
    Stream<DynamicTest> everyVocabularyFileLoadsWithoutWeights() throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.list(directory())) {
            all = files.filter(p -> p.getFileName().toString().endsWith(".gguf")).sorted().toList();
        }
        assertThat(all).hasSizeGreaterThan(vocabularies().size());
        return all.stream().map(vocab -> DynamicTest.dynamicTest(vocab.getFileName().toString(), () -> {
            try (LlamaModel model = LlamaModel.load(vocab, ModelParams.defaults().withVocabOnly(true))) {
                assertThat(model.nVocab()).isPositive();
                assertThat(model.tokenize("Hello world", false, false)).isNotEmpty();
            }
        }));
    }

    private static void checkVectors(Path vocab) throws IOException {
        Map<String, int[]> vectors = read(vocab);
        List<String> failures = new ArrayList<>();
        try (LlamaModel model = LlamaModel.load(vocab, ModelParams.defaults().withVocabOnly(true))) {
            for (Map.Entry<String, int[]> v : vectors.entrySet()) {
                int[] got = model.tokenize(v.getKey(), false, false);
                if (!Arrays.equals(got, v.getValue())) {
                    failures.add("'" + v.getKey() + "': expected " + Arrays.toString(v.getValue()) + ", got "
                            + Arrays.toString(got));
                }
            }
        }
        assertThat(failures).as(vocab.getFileName() + ", " + vectors.size() + " vectors").isEmpty();
    }

    // read_tests() of test-tokenizer-0.cpp: a map keyed by input (a repeated input keeps its last ids)
    static Map<String, int[]> read(Path vocab) throws IOException {
        String raw = Files.readString(Path.of(vocab + ".inp"), StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        List<String> outputs = Files.readAllLines(Path.of(vocab + ".out"), StandardCharsets.UTF_8);
        assertThat(outputs).as(vocab + ".out lines").hasSameSizeAs(inputs);
        Map<String, int[]> vectors = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String ids = outputs.get(i).strip();
            vectors.put(inputs.get(i), ids.isEmpty() ? new int[0]
                    : Arrays.stream(ids.split(" ")).mapToInt(Integer::parseInt).toArray());
        }
        return vectors;
    }

    @Test
    void aVocabularyFileIsRefusedAsAModel() throws IOException {
        Path vocab = vocabularies().getFirst();
        assertThatThrownBy(() -> LlamaModel.load(vocab, ModelParams.defaults()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("the file ends before its tensor data section starts");
    }

    @Test
    void aVocabularyOnlyModelRendersItsChatTemplate() {
        Path vocab = directory().resolve("ggml-vocab-qwen2.gguf");
        try (LlamaModel model = LlamaModel.load(vocab, ModelParams.defaults().withVocabOnly(true))) {
            var messages = List.of(dev.hearth.api.ChatMessage.user("What is a token?"));
            assertThat(model.applyChatTemplate(messages, true)).contains("What is a token?");
            assertThat(model.chatTemplate("").render(messages, ChatOptions.defaults()).prompt())
                    .contains("What is a token?");
        }
    }

    @Test
    void aVocabularyOnlyModelTokenizesButRefusesContextsAndEngines() throws IOException {
        Path vocab = directory().resolve("ggml-vocab-llama-spm.gguf");
        try (LlamaModel model = LlamaModel.load(vocab, ModelParams.defaults().withVocabOnly(true))) {
            assertThat(model.vocabOnly()).isTrue();
            int[] ids = model.tokenize("Hello world", true, false);
            assertThat(ids[0]).isEqualTo(model.tokenBos());
            // SentencePiece prefixes the text with a space, which detokenizing keeps for this vocabulary
            assertThat(model.detokenize(ids, true, false)).isEqualTo(" Hello world");
            assertThatThrownBy(() -> model.newContext(ContextParams.defaults()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("vocabulary-only");
            assertThatThrownBy(() -> model.newEmbeddingContext(EmbeddingParams.defaults()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("vocabulary-only");
            assertThatThrownBy(() -> dev.hearth.llama.engine.LlamaEngine.start(model,
                    dev.hearth.llama.engine.EngineParams.defaults()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("vocabulary-only");
        }
    }
}
