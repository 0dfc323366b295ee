package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.onnx.TinyDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text generation over the tiny decoder with a word-level tokenizer of its 16 words ("w0" to "w15"). */
class OnnxTextGeneratorTest {
    @Test
    void textStreamsAndStopsAtAStopSequenceWithoutShowingIt(@TempDir Path dir) throws Exception {
        TinyDecoder model = new TinyDecoder(2);
        Files.write(dir.resolve("model.onnx"), model.onnx());
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < TinyDecoder.VOCAB; i++) {
            vocab.append(i == 0 ? "" : ", ").append("\"w").append(i).append("\": ").append(i);
        }
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "w0"}}""".formatted(vocab));
        try (OnnxTextGenerator g = OnnxTextGenerator.fromDirectory(dir, 1)) {
            String prompt = "w3 w7";
            StringBuilder streamed = new StringBuilder();
            var free = g.generate(prompt, 12, OnnxCausalLm.Sampling.greedy(), List.of(), Set.of(), streamed::append,
                    () -> false);
            assertThat(free.finish()).isEqualTo("max_tokens");
            assertThat(free.tokens()).hasSize(12);
            assertThat(streamed.toString()).isEqualTo(free.text()).isNotEmpty();
            // stop at the text of the fourth token: it and what follows are not shown
            String fourth = "w" + free.tokens()[3];
            StringBuilder stopped = new StringBuilder();
            var cut = g.generate(prompt, 12, OnnxCausalLm.Sampling.greedy(), List.of(fourth), Set.of(), stopped::append,
                    () -> false);
            assertThat(cut.finish()).isEqualTo("stop_sequence");
            assertThat(cut.text()).doesNotContain(fourth).isEqualTo(free.text().substring(0, free.text().indexOf(fourth)));
            assertThat(stopped.toString()).isEqualTo(cut.text());
            var ended = g.generate(prompt, 12, OnnxCausalLm.Sampling.greedy(), List.of(), Set.of(free.tokens()[1]),
                    t -> { }, () -> false);
            assertThat(ended.finish()).isEqualTo("end_token");
        }
    }

    @Test
    void textThatMightBecomeAStopSequenceIsHeldBack() {
        assertThat(OnnxTextGenerator.heldBack("hello </s", List.of("</stop>"))).isEqualTo(6);
        assertThat(OnnxTextGenerator.heldBack("hello", List.of("</stop>"))).isEqualTo(5);
    }
}
