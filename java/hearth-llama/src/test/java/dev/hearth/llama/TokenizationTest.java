package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizationTest extends TinyModelTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "Hello world, this is the story of a model.",
        "naïve café, Größe, façade — déjà vu",
        "日本語のテキストと한국어 텍스트",
        "emoji: 🔥👍🏽 and a family 👨‍👩‍👧 and flags 🇫🇷",
        "tabs\tand\nnew lines\r\n  and   spaces",
    })
    void tokenizeThenDetokenizeRoundTrips(String text) {
        int[] tokens = model.tokenize(text, false, false);
        assertThat(tokens).isNotEmpty();
        assertThat(model.detokenize(tokens, false, false)).isEqualTo(text);
    }

    @Test
    void addSpecialPutsTheBosTokenFirst() {
        int[] tokens = model.tokenize("hello", true, false);
        assertThat(tokens[0]).isEqualTo(model.tokenBos());
        assertThat(model.tokenize("hello", false, false)).doesNotContain(model.tokenBos());
    }

    @Test
    void wordsInTheVocabularyBecomeSingleTokens() {
        int[] tokens = model.tokenize(" the model", false, false); // no space prefix: words start with U+2581
        assertThat(tokens).hasSize(2);
    }

    @Test
    void controlTokensAreParsedOnlyWhenAsked() {
        int[] parsed = model.tokenize("<|im_start|>", false, true);
        int[] literal = model.tokenize("<|im_start|>", false, false);
        assertThat(parsed).hasSize(1);
        assertThat(literal.length).isGreaterThan(1);
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRejectedBeforeNativeCode() {
        assertThatThrownBy(() -> model.detokenize(new int[] {5, model.nVocab()}, false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside this model's vocabulary");
        assertThatThrownBy(() -> model.detokenize(new int[] {-1}, false, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportsTheShapeItWasWrittenWith() {
        assertThat(model.nVocab()).isEqualTo(1024);
        assertThat(model.nEmbd()).isEqualTo(64);
        assertThat(model.nLayer()).isEqualTo(2);
        assertThat(model.nHead()).isEqualTo(4);
        assertThat(model.nHeadKv()).isEqualTo(2);
        assertThat(model.nCtxTrain()).isEqualTo(2048);
        assertThat(model.metadata()).containsEntry("general.name", "hearth-demo-tiny");
    }
}
