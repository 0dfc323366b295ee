package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.onnx.TinyDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text generation: over the tiny decoder (random weights, varied by {@code HEARTH_TEST_SEED}) with a word-level
 * tokenizer of its 16 words ("w0" to "w15"), the assertions hold for whatever it says; over a {@link ScriptedDecoder},
 * what it says is forced.
 */
class OnnxTextGeneratorTest {
    static final OnnxCausalLm.Sampling GREEDY = OnnxCausalLm.Sampling.greedy();

    static OnnxTextGenerator tinyWords(Path dir) throws Exception {
        Files.write(dir.resolve("model.onnx"), new TinyDecoder(2).onnx());
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < TinyDecoder.VOCAB; i++) {
            vocab.append(i == 0 ? "" : ", ").append("\"w").append(i).append("\": ").append(i);
        }
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "w0"}}""".formatted(vocab));
        return OnnxTextGenerator.fromDirectory(dir, 1);
    }

    static OnnxTextGenerator scripted(Path dir, long... chain) throws Exception {
        return OnnxTextGenerator.fromDirectory(ScriptedDecoder.after(chain).writeChatModel(dir), 1);
    }

    @Test
    void textStreamsAndStopsAtAStopSequenceWithoutShowingIt(@TempDir Path dir) throws Exception {
        try (OnnxTextGenerator g = tinyWords(dir)) {
            String prompt = "w3 w7";
            StringBuilder streamed = new StringBuilder();
            var free = g.generate(prompt, 12, GREEDY, List.of(), Set.of(), streamed::append, () -> false);
            assertThat(free.finish()).isEqualTo("max_tokens");
            assertThat(free.tokens()).hasSize(12);
            assertThat(streamed.toString()).isEqualTo(free.text());
            assertThat(free.text().split(" ")).hasSize(12); // every token is a word here
            // a stop sequence is text, not a token: it ends the answer where the text first has it ("w1" is in "w10")
            String stop = free.text().split(" ")[3];
            String before = free.text().substring(0, free.text().indexOf(stop));
            StringBuilder stopped = new StringBuilder();
            var cut = g.generate(prompt, 12, GREEDY, List.of(stop), Set.of(), stopped::append, () -> false);
            assertThat(cut.finish()).isEqualTo("stop_sequence");
            assertThat(cut.stoppedAt()).isEqualTo(stop);
            assertThat(cut.text()).isEqualTo(before).doesNotContain(stop);
            assertThat(stopped.toString()).isEqualTo(cut.text());
            assertThat(cut.tokens()).hasSizeLessThanOrEqualTo(4);

            long end = free.tokens()[1];
            var ended = g.generate(prompt, 12, GREEDY, List.of(), Set.of(end), t -> { }, () -> false);
            assertThat(ended.finish()).isEqualTo("end_token");
            assertThat(ended.tokens()).hasSizeLessThanOrEqualTo(2).endsWith(end);
            assertThat(ended.text()).as("the end token is not shown")
                    .isEqualTo(ended.tokens().length == 2 ? "w" + ended.tokens()[0] : "");
        }
    }

    @Test
    void markersTheModelWritesAreNotShownWhereverItStops(@TempDir Path dir) throws Exception {
        // after the prompt's last word (w0): w5 <|im_start|> w9 w3 <|im_end|> w0 w5 ...
        long im = ScriptedDecoder.IM_START, end = ScriptedDecoder.IM_END;
        try (OnnxTextGenerator g = scripted(dir, 0, 5, im, 9, 3, end, 0)) {
            StringBuilder streamed = new StringBuilder();
            var all = g.generate("w7 w0", 5, GREEDY, List.of(), Set.of(), streamed::append, () -> false);
            assertThat(all.tokens()).containsExactly(5, im, 9, 3, end);
            assertThat(all.finish()).isEqualTo("max_tokens");
            assertThat(all.text()).isEqualTo("w5 w9 w3").isEqualTo(streamed.toString());

            var atMarker = g.generate("w7 w0", 12, GREEDY, List.of("<|im_end|>"), Set.of(), t -> { }, () -> false);
            assertThat(atMarker.tokens()).containsExactly(5, im, 9, 3, end);
            assertThat(atMarker.finish()).isEqualTo("stop_sequence");
            assertThat(atMarker.stoppedAt()).isEqualTo("<|im_end|>");
            assertThat(atMarker.text()).isEqualTo("w5 w9 w3");

            var atEndToken = g.generate("w7 w0", 12, GREEDY, List.of("<|im_end|>"), Set.of(end), t -> { }, () -> false);
            assertThat(atEndToken.finish()).isEqualTo("end_token");
            assertThat(atEndToken.text()).isEqualTo("w5 w9 w3");

            var atUsersMarker = g.generate("w7 w0", 12, GREEDY, List.of("<|im_start|>"), Set.of(), t -> { }, () -> false);
            assertThat(atUsersMarker.tokens()).containsExactly(5, im);
            assertThat(atUsersMarker.finish()).isEqualTo("stop_sequence");
            assertThat(atUsersMarker.stoppedAt()).isEqualTo("<|im_start|>");
            assertThat(atUsersMarker.text()).isEqualTo("w5");
        }
    }

    @Test
    void textHeldBackForAStopSequenceIsShownWhenAnEndTokenComesFirst(@TempDir Path dir) throws Exception {
        try (OnnxTextGenerator g = scripted(dir, 0, 5, 9, ScriptedDecoder.IM_END)) {
            StringBuilder streamed = new StringBuilder();
            var r = g.generate("w0", 12, GREEDY, List.of("w9 w4"), Set.of(ScriptedDecoder.IM_END), streamed::append,
                    () -> false);
            assertThat(r.finish()).isEqualTo("end_token");
            assertThat(r.text()).isEqualTo("w5 w9").isEqualTo(streamed.toString());
        }
    }

    @Test
    void textThatMightBecomeAStopSequenceIsHeldBack() {
        assertThat(OnnxTextGenerator.heldBack("hello </s", List.of("</stop>"))).isEqualTo(6);
        assertThat(OnnxTextGenerator.heldBack("hello", List.of("</stop>"))).isEqualTo(5);
    }
}
