package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layouts' own rules; agreement with llama.cpp's rendering of real templates is tested in hearth-router. */
class ChatFormatTest {
    @Test
    void llama31WritesTheDayItIsGivenAndASystemTurnEvenWithoutASystemMessage() {
        String p = ChatFormat.LLAMA31.render(List.of(ChatMessage.user(" hi ")), LocalDate.of(2026, 3, 5));
        assertThat(p).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date:"
                + " December 2023\nToday Date: 05 Mar 2026\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nhi"
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void gemmaFoldsTheSystemMessageIntoTheFirstUserTurnAndNeedsAlternatingTurns() {
        assertThat(ChatFormat.GEMMA.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"))))
                .isEqualTo("<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n");
        assertThatThrownBy(() -> ChatFormat.GEMMA.render(List.of(ChatMessage.user("a"), ChatMessage.user("b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alternate");
    }

    @Test
    void detectionNeedsTheLayoutsMarkers() {
        assertThat(ChatFormat.detect("{{ '<|im_start|>' + m.role }}")).contains(ChatFormat.CHATML);
        assertThat(ChatFormat.detect("{{'<|user|>\\n' + message['content'] + '<|end|>\\n'}}")).contains(ChatFormat.PHI3);
        assertThat(ChatFormat.detect("{{'<|user|>\\n' + message['content'] + '\\n<|end|>\\n'}}")).isEmpty();
        assertThat(ChatFormat.detect("[INST] {{ m.content }} [/INST]")).isEmpty();
        assertThat(ChatFormat.detect("")).isEmpty();
    }
}
