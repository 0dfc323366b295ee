package dev.hearth.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.StopReason;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.RecordingSink;
import dev.hearth.testkit.onnx.TinyDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat over a model directory laid out as Optimum exports it, with a word-level tokenizer ("w0", "w1", ...) and ChatML's
 * markers as special tokens 14 and 15: the tiny decoder (random weights, varied by {@code HEARTH_TEST_SEED}), where the
 * assertions hold for whatever it says, or a {@link ScriptedDecoder}, where what it says is forced.
 */
class OnnxChatBackendTest {
    static final ChatRequest ASK = ChatRequest.of("tiny", List.of(ChatMessage.user("w3 w7"))).withTemperature(0.0)
            .withMaxTokens(8);
    /** The ChatML prompt of {@link #ASK}: its last token is "assistant", an unknown word, so w0. */
    static final String ASK_PROMPT = "<|im_start|>user\nw3 w7<|im_end|>\n<|im_start|>assistant\n";

    static Path modelDir(Path dir, String config, String tokenizerConfig) throws Exception {
        new TinyDecoder(2).writeChatModel(dir);
        return withConfig(dir, config, tokenizerConfig);
    }

    static Path scriptedDir(Path dir, String config, long... chain) throws Exception {
        ScriptedDecoder.after(chain).writeChatModel(dir);
        return withConfig(dir, config, null);
    }

    private static Path withConfig(Path dir, String config, String tokenizerConfig) throws Exception {
        if (config != null) {
            Files.writeString(dir.resolve("config.json"), config);
        }
        if (tokenizerConfig != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        }
        return dir;
    }

    @Test
    void anAnswerIsWhatTheGeneratorWritesForTheFormatsPromptStreamedWithItsTokensCounted(@TempDir Path dir)
            throws Exception {
        modelDir(dir, null, null);
        try (OnnxTextGenerator reference = OnnxTextGenerator.fromDirectory(dir, 1)) {
            assertThat(ChatFormat.CHATML.render(ASK.messages())).isEqualTo(ASK_PROMPT);
            var expected = reference.generate(ASK_PROMPT, 8, OnnxCausalLm.Sampling.greedy(), ChatFormat.CHATML.stops(),
                    Set.of(), t -> { }, () -> false);
            try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("tiny", dir, Optional.empty(), 1)) {
                assertThat(chat.format()).as("no template: ChatML, as in llama.cpp").isEqualTo(ChatFormat.CHATML);
                StringBuilder streamed = new StringBuilder();
                ChatResponse r = chat.stream(ASK, streamed::append);
                assertThat(r.content()).isEqualTo(expected.text().stripLeading()).isEqualTo(streamed.toString())
                        .doesNotContain("<|im_start|>", "<|im_end|>");
                // <|im_start|> user w3 w7 <|im_end|> <|im_start|> assistant
                assertThat(r.usage().inputTokens()).isEqualTo(7);
                assertThat(r.usage().outputTokens()).isEqualTo(expected.tokens().length).isBetween(1L, 8L);
                assertThat(r.stopReason()).isEqualTo("max_tokens".equals(expected.finish()) ? StopReason.MAX_TOKENS
                        : StopReason.END_TURN);
                assertThat(chat.capabilities().tools()).isFalse();
                assertThat(chat.capabilities().streaming()).isTrue();
            }
        }
    }

    @Test
    void markersTheModelWritesAreNotShownAndItsEndOfTurnMarkerEndsTheAnswer(@TempDir Path dir) throws Exception {
        // w5 <|im_start|> w9 <|im_end|>: a marker that does not end the turn is left out of the answer
        scriptedDir(dir, null, 0, 5, ScriptedDecoder.IM_START, 9, ScriptedDecoder.IM_END);
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("scripted", dir, Optional.empty(), 1)) {
            RecordingSink streamed = new RecordingSink();
            ChatResponse r = chat.stream(ASK, streamed);
            assertThat(r.content()).isEqualTo("w5 w9").isEqualTo(streamed.content());
            assertThat(r.usage().outputTokens()).isEqualTo(4);
            assertThat(r.stopReason()).isEqualTo(StopReason.END_TURN);
            assertThat(r.rawStopReason()).isEqualTo("stop_sequence");
        }
    }

    @Test
    void aStopSequenceEndsTheAnswerUnshownAndTheEndTokenFromConfigJsonEndsTheTurn(@TempDir Path dir) throws Exception {
        scriptedDir(dir, null, 0, 5, 10, 1, 7, 9, 3, 5);
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("scripted", dir, Optional.empty(), 1)) {
            assertThat(chat.chat(ASK).content()).isEqualTo("w5 w10 w1 w7 w9 w3 w5 w10");
            ChatResponse cut = chat.chat(ASK.withStop(List.of("w7")));
            assertThat(cut.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
            assertThat(cut.content()).isEqualTo("w5 w10 w1 ");
            assertThat(chat.chat(ASK.withStop(List.of("w1"))).content()).as("stop sequences are text, not tokens")
                    .isEqualTo("w5 ");
        }
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": [99, 1]}");
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("scripted", dir, Optional.empty(), 1)) {
            ChatResponse ended = chat.chat(ASK);
            assertThat(ended.stopReason()).isEqualTo(StopReason.END_TURN);
            assertThat(ended.rawStopReason()).isEqualTo("end_token");
            assertThat(ended.usage().outputTokens()).isEqualTo(3);
            assertThat(ended.content()).isEqualTo("w5 w10");
        }
    }

    @Test
    void aPromptThatCannotFitIsRefusedWithTheNumbersBeforeAnyGeneration(@TempDir Path dir) throws Exception {
        modelDir(dir, "{\"max_position_embeddings\": 12}", null);
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("tiny", dir, Optional.empty(), 1)) {
            assertThat(chat.capabilities().contextLength()).isEqualTo(12);
            assertThatThrownBy(() -> chat.chat(ASK))
                    .isInstanceOfSatisfying(ContextOverflowException.class, e -> {
                        assertThat(e.promptTokens()).isEqualTo(7);
                        assertThat(e.contextSize()).isEqualTo(12);
                    })
                    .hasMessageContaining("asks for up to 8 more");
            assertThat(chat.chat(ASK.withMaxTokens(5)).usage().inputTokens()).isEqualTo(7); // 7 + 5 fits
        }
    }

    @Test
    void toolsJsonOutputAndToolResultsAreRefusedWithWhereToSendThem(@TempDir Path dir) throws Exception {
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("tiny", modelDir(dir, null, null), Optional.empty(), 1)) {
            assertThatThrownBy(() -> chat.chat(ASK.withTools(List.of(new Tool("look", "look up", null)), ToolChoice.AUTO)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no tools");
            assertThatThrownBy(() -> chat.chat(ASK.withResponseFormat(ResponseFormat.JSON_OBJECT)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON");
            assertThatThrownBy(() -> chat.chat(ASK.withMessages(List.of(ChatMessage.user("w1"), ChatMessage.tool("c1", "w2"),
                    ChatMessage.user("w3"))))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool result");
            assertThatThrownBy(() -> chat.chat(ASK.withMessages(List.of(ChatMessage.user("w1"), ChatMessage.assistant("w2")))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end with a user message");
        }
    }

    @Test
    void theTemplateInTokenizerConfigPicksTheFormatAndAnUnknownOneIsRefused(@TempDir Path dir) throws Exception {
        modelDir(dir, null, """
                {"chat_template": "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\\n\\n{{ m.content | trim }}<|eot_id|>{% endfor %}"}""");
        assertThat(formatOf(dir, Optional.empty())).isEqualTo(ChatFormat.LLAMA3);
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"chat_template": [{"name": "tool_use", "template": "<|im_start|>"},
                                   {"name": "default", "template": "{% for m in messages %}<start_of_turn>{% endfor %}"}]}""");
        assertThat(formatOf(dir, Optional.empty())).isEqualTo(ChatFormat.GEMMA);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"<｜User｜>{{ content }}<｜Assistant｜>\"}");
        assertThatThrownBy(() -> OnnxChatBackend.fromDirectory("ds", dir, Optional.empty(), 1))
                .isInstanceOf(OnnxException.class).hasMessageContaining("not one Hearth lays out")
                .hasMessageContaining("name the format");
        assertThat(formatOf(dir, Optional.of(ChatFormat.CHATML))).isEqualTo(ChatFormat.CHATML);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": ");
        assertThatThrownBy(() -> OnnxChatBackend.fromDirectory("bad", dir, Optional.empty(), 1))
                .isInstanceOf(OnnxException.class).hasMessageContaining("not valid JSON");
        Files.delete(dir.resolve("tokenizer_config.json"));
        Files.delete(dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> OnnxChatBackend.fromDirectory("half", dir, Optional.empty(), 1))
                .isInstanceOf(OnnxException.class).hasMessageContaining("no tokenizer.json in " + dir);
    }

    static ChatFormat formatOf(Path dir, Optional<ChatFormat> named) {
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("m", dir, named, 1)) {
            return chat.format();
        }
    }

    @Test
    void callersTakeTurnsAndEachGetsTheAnswerItWouldAlone(@TempDir Path dir) throws Exception {
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("tiny", modelDir(dir, null, null), Optional.empty(), 1)) {
            String alone = chat.chat(ASK).content();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(pool.submit((Callable<String>) () -> chat.chat(ASK).content()));
                }
                for (Future<String> a : answers) {
                    assertThat(a.get()).isEqualTo(alone);
                }
            }
        }
    }

    @Test
    void anInterruptedCallerGetsInterruptedExceptionAndTheFlagIsConsumed(@TempDir Path dir) throws Exception {
        // w5 w9 w3 w5 w9 w3 ...: never ends by itself
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("scripted", scriptedDir(dir, null, 0, 5, 9, 3, 5),
                Optional.empty(), 1)) {
            String alone = chat.chat(ASK).content();
            assertThat(alone).isEqualTo("w5 w9 w3 w5 w9 w3 w5 w9");
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> chat.chat(ASK)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse(); // the exception consumed the interrupt
            // interrupted while generating (the sink runs on the caller's thread): stopped at the next token
            StringBuilder seen = new StringBuilder();
            assertThatThrownBy(() -> chat.stream(ASK, delta -> {
                seen.append(delta);
                Thread.currentThread().interrupt();
            })).isInstanceOf(InterruptedException.class).hasMessageContaining("cancelled after 1 tokens");
            assertThat(Thread.interrupted()).isFalse();
            assertThat(seen.toString()).isEqualTo("w5");
            assertThat(chat.chat(ASK).content()).isEqualTo(alone);
        }
    }

    @Test
    void aDeepSeekR1AnswerIsReasoningUntilItClosesItsThinkBlockAndThinkingOffClosesItInThePrompt(@TempDir Path dir)
            throws Exception {
        // the prompt ends in <think> (R1's generation prompt) or </think> (thinking off); then
        // w5 w9 </think> w3 <｜end▁of▁sentence｜>, or w3 <｜end▁of▁sentence｜>
        scriptedDir(dir, null, ScriptedDecoder.THINK, 5, 9, ScriptedDecoder.END_THINK, 3, ScriptedDecoder.R1_END);
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("r1", dir, Optional.of(ChatFormat.DEEPSEEK_R1), 1)) {
            RecordingSink streamed = new RecordingSink();
            ChatResponse r = chat.stream(ASK, streamed);
            assertThat(r.reasoning()).isEqualTo("w5 w9");
            assertThat(streamed.reasoning()).isEqualTo("w5 w9 ");
            assertThat(r.content()).isEqualTo("w3").isEqualTo(streamed.content());
            assertThat(r.stopReason()).isEqualTo(StopReason.END_TURN);
            assertThat(r.usage().outputTokens()).isEqualTo(5);

            ChatResponse off = chat.chat(ASK.withThinking(dev.hearth.api.Thinking.OFF));
            assertThat(off.reasoning()).isEmpty();
            assertThat(off.content()).isEqualTo("w3");
            assertThat(off.usage().outputTokens()).isEqualTo(2);
        }
        // the tiny model has no </think>: whatever it says is reasoning
        Path tiny = modelDir(dir.resolve("tiny"), null, null);
        try (OnnxTextGenerator reference = OnnxTextGenerator.fromDirectory(tiny, 1);
             OnnxChatBackend chat = OnnxChatBackend.fromDirectory("r1", tiny, Optional.of(ChatFormat.DEEPSEEK_R1), 1)) {
            String prompt = ChatFormat.DEEPSEEK_R1.render(ASK.messages());
            assertThat(prompt).isEqualTo("<｜begin▁of▁sentence｜><｜User｜>w3 w7<｜Assistant｜><think>\n");
            var expected = reference.generate(prompt, 8, OnnxCausalLm.Sampling.greedy(), ChatFormat.DEEPSEEK_R1.stops(),
                    Set.of(), t -> { }, () -> false);
            RecordingSink streamed = new RecordingSink();
            ChatResponse r = chat.stream(ASK, streamed);
            assertThat(r.reasoning()).isEqualTo(expected.text().strip());
            assertThat(streamed.reasoning()).isEqualTo(expected.text());
            assertThat(r.content()).isEmpty();
            assertThat(streamed.content()).isEmpty();
        }
    }
}
