package dev.hearth.llama.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextAssemblerTest {
    private static String feed(TextAssembler a, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return a.add(b, b.length);
    }

    @Test
    void aCharacterSplitAcrossTokensIsReleasedWhole() {
        TextAssembler a = new TextAssembler(List.of());
        byte[] fire = "🔥".getBytes(StandardCharsets.UTF_8);
        assertThat(a.add(new byte[] {fire[0], fire[1]}, 2)).isEmpty();
        assertThat(a.add(new byte[] {fire[2]}, 1)).isEmpty();
        assertThat(a.add(new byte[] {fire[3], 'x'}, 2)).isEqualTo("🔥x");
    }

    @Test
    void textThatMightStartAStopSequenceIsHeldBackUntilItCannot() {
        TextAssembler a = new TextAssembler(List.of("END"));
        assertThat(feed(a, "abc E")).isEqualTo("abc ");
        assertThat(feed(a, "N")).isEmpty();
        assertThat(feed(a, "x")).isEqualTo("ENx");
        assertThat(a.stopped()).isFalse();
    }

    @Test
    void aStopSequenceSpanningTokensEndsTheTextBeforeIt() {
        TextAssembler a = new TextAssembler(List.of("<|end|>", "STOP"));
        assertThat(feed(a, "hello <|e")).isEqualTo("hello ");
        assertThat(feed(a, "nd|> more")).isEmpty();
        assertThat(a.stopped()).isTrue();
        assertThat(a.text()).isEqualTo("hello ");
        assertThat(feed(a, "ignored")).isEmpty();
    }

    @Test
    void finishReleasesHeldTextAndReplacesAnIncompleteCharacter() {
        TextAssembler a = new TextAssembler(List.of("XYZ"));
        assertThat(feed(a, "ab XY")).isEqualTo("ab ");
        assertThat(a.add(new byte[] {(byte) 0xE2, (byte) 0x82}, 2)).isEmpty();
        assertThat(a.finish()).isEqualTo("XY\uFFFD");
    }
}
