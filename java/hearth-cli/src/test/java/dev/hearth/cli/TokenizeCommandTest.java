package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.llama.Natives;
import dev.hearth.testkit.CleanEnvironment;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hearth tokenize on llama.cpp's LLaMA SentencePiece vocabulary (a vocabulary-only GGUF installed by
 * scripts/install-natives.sh; the expected ids are its own test vectors) and on a synthetic model.
 */
class TokenizeCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static final Path VOCAB = Natives.hearthHome().resolve("llama.cpp").resolve(Natives.release()).resolve("vocab")
            .resolve("ggml-vocab-llama-spm.gguf");

    @BeforeAll
    static void writeModel() {
        model = dir.resolve("tiny.gguf");
        dev.hearth.testkit.SyntheticModel.tiny().write(model);
        assertThat(VOCAB).as("installed by scripts/install-natives.sh").isRegularFile();
    }

    static Cli.Outcome run(String... args) {
        return Cli.run(CleanEnvironment.in(dir), args);
    }

    @Test
    void printsTheIdsOfLlamaCppsVectorWithoutBos() {
        Cli.Outcome o = run("tokenize", "--model", VOCAB.toString(), "Hello, world!");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out().lines().map(l -> l.strip().split(" ")[0]))
                .containsExactly("15043", "29892", "3186", "29991");
        // the piece keeps the SentencePiece word marker, as a space
        assertThat(o.out().lines().toList().getFirst()).endsWith("\" Hello\"");
    }

    @Test
    void jsonHasIdsAndPiecesAndAddSpecialPutsBosFirst() throws Exception {
        Cli.Outcome o = run("tokenize", "--model", VOCAB.toString(), "--json", "--add-special", "Hello world");
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(o.out());
        assertThat(json.get("ids").toString()).isEqualTo("[1,15043,3186]");
        assertThat(json.get("pieces").get(2).asText()).isEqualTo(" world");
    }

    @Test
    void countsTheTokens() {
        Cli.Outcome o = run("tokenize", "--model", VOCAB.toString(), "--count", "Hello world");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out().strip()).isEqualTo("2");
    }

    @Test
    void worksOnAModelWithWeightsToo() throws Exception {
        Cli.Outcome plain = run("tokenize", "--model", model.toString(), "--json", "the model");
        Cli.Outcome special = run("tokenize", "--model", model.toString(), "--json", "--add-special", "the model");
        assertThat(plain.code()).as(plain.err()).isZero();
        JsonNode ids = new ObjectMapper().readTree(plain.out()).get("ids");
        JsonNode withBos = new ObjectMapper().readTree(special.out()).get("ids");
        assertThat(ids).isNotEmpty();
        assertThat(withBos.size()).isEqualTo(ids.size() + 1);
    }

    @Test
    void countsAChatMessageWithTheTemplateApplied() {
        Cli.Outcome raw = run("tokenize", "--model", model.toString(), "--count", "the model");
        Cli.Outcome chat = run("tokenize", "--model", model.toString(), "--chat", "the model");
        assertThat(chat.code()).as(chat.err()).isZero();
        // ChatML wraps the message in <|im_start|>user ... <|im_end|> and opens the assistant's turn
        assertThat(Integer.parseInt(chat.out().strip())).isGreaterThan(Integer.parseInt(raw.out().strip()) + 4);
    }

    @Test
    void aMissingFileIsRefusedWithItsName() {
        Cli.Outcome o = run("tokenize", "--model", dir.resolve("none.gguf").toString(), "hi");
        assertThat(o.code()).isNotZero();
        assertThat(o.err()).contains("none.gguf");
    }
}
