package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThinkSplitterTest {
    /** Records the deltas in order, tagged. */
    static final class Recorder implements ChatSink {
        final List<String> events = new ArrayList<>();

        @Override
        public void onContent(String delta) {
            events.add("C:" + delta);
        }

        @Override
        public void onReasoning(String delta) {
            events.add("R:" + delta);
        }
    }

    static ThinkSplitter feed(boolean inside, Recorder r, String... deltas) {
        ThinkSplitter s = new ThinkSplitter(inside, r);
        for (String d : deltas) {
            s.accept(d);
        }
        s.finish();
        return s;
    }

    @Test
    void aPromptThatOpenedTheThinkBlockStreamsReasoningUntilTheTagSplitAcrossDeltasCloses() {
        Recorder r = new Recorder();
        ThinkSplitter s = feed(true, r, "I rea", "son</th", "ink>\n\nAns", "wer");
        assertThat(s.reasoning()).isEqualTo("I reason");
        assertThat(s.content()).isEqualTo("Answer");
        assertThat(r.events).containsExactly("R:I rea", "R:son", "C:Ans", "C:wer"); // "</th" was held back, never shown
    }

    @Test
    void aThinkBlockTheModelOpensItselfIsReasoningAndAnythingElseIsContent() {
        Recorder r = new Recorder();
        ThinkSplitter s = feed(false, r, "\n<thi", "nk>plan</think>done");
        assertThat(s.reasoning()).isEqualTo("plan");
        assertThat(s.content()).isEqualTo("done");
        Recorder plain = new Recorder();
        assertThat(feed(false, plain, "<thx", "y").content()).isEqualTo("<thxy");
        assertThat(plain.events).containsExactly("C:<thx", "C:y");
        assertThat(feed(false, new Recorder(), "  Hello").content()).isEqualTo("Hello");
    }

    @Test
    void theWhitespaceBetweenTheClosingTagAndTheAnswerIsDroppedWhicheverDeltasBringIt() {
        Recorder r = new Recorder();
        ThinkSplitter s = feed(true, r, "plan", "</think>", "\n\n", " Ans", "wer");
        assertThat(s.reasoning()).isEqualTo("plan");
        assertThat(s.content()).isEqualTo("Answer");
        assertThat(r.events).containsExactly("R:plan", "C:Ans", "C:wer");
        assertThat(feed(false, new Recorder(), "<think>x</think>", "\n").content()).isEmpty();
    }

    @Test
    void anAnswerCutOffInsideItsReasoningKeepsAllOfIt() {
        ThinkSplitter s = feed(true, new Recorder(), "still thinking </th");
        assertThat(s.reasoning()).isEqualTo("still thinking </th");
        assertThat(s.content()).isEmpty();
    }
}
