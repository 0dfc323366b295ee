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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat over the tiny decoder, in a directory laid out as Optimum exports it: a word-level tokenizer of 14 words
 * ("w0" to "w13") and ChatML's two markers as special tokens 14 and 15.
 */
class OnnxChatBackendTest {
    static final ChatRequest ASK = ChatRequest.of("tiny", List.of(ChatMessage.user("w3 w7"))).withTemperature(0.0)
            .withMaxTokens(8);

    static Path modelDir(Path dir, String config, String tokenizerConfig) throws Exception {
        new TinyDecoder(2).writeChatModel(dir);
        if (config != null) {
            Files.writeString(dir.resolve("config.json"), config);
        }
        if (tokenizerConfig != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        }
        return dir;
    }

    /** The greedy tokens the bare generator gives for the ChatML prompt of {@link #ASK}. */
    static long[] greedyTokens(Path dir) {
        try (OnnxTextGenerator g = OnnxTextGenerator.fromDirectory(dir, 1)) {
            return g.generate(ChatFormat.CHATML.render(ASK.messages()), 8, OnnxCausalLm.Sampling.greedy(),
                    ChatFormat.CHATML.stops(), Set.of(), t -> { }, () -> false).tokens();
        }
    }

    @Test
    void anAnswerStreamsInTheModelsFormatAndCountsItsTokens(@TempDir Path dir) throws Exception {
        modelDir(dir, null, null);
        try (OnnxTextGenerator reference = OnnxTextGenerator.fromDirectory(dir, 1)) {
            var expected = reference.generate("<|im_start|>user\nw3 w7<|im_end|>\n<|im_start|>assistant\n", 8,
                    OnnxCausalLm.Sampling.greedy(), List.of("<|im_end|>", "<|endoftext|>"), Set.of(), t -> { }, () -> false);
            try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("tiny", dir, Optional.empty(), 1)) {
                assertThat(chat.format()).as("no template: ChatML, as in llama.cpp").isEqualTo(ChatFormat.CHATML);
                StringBuilder streamed = new StringBuilder();
                ChatResponse r = chat.stream(ASK, streamed::append);
                assertThat(r.content()).isEqualTo(expected.text()).isEqualTo(streamed.toString()).isNotEmpty();
                // <|im_start|> user w3 w7 <|im_end|> <|im_start|> assistant
                assertThat(r.usage().inputTokens()).isEqualTo(7);
                assertThat(r.usage().outputTokens()).isEqualTo(expected.tokens().length);
                assertThat(r.stopReason()).isEqualTo(expected.tokens().length == 8 ? StopReason.MAX_TOKENS : StopReason.END_TURN);
                assertThat(chat.capabilities().tools()).isFalse();
                assertThat(chat.capabilities().streaming()).isTrue();
            }
        }
    }

    @Test
    void aStopSequenceEndsTheAnswerUnshownAndTheEndTokenFromConfigJsonEndsTheTurn(@TempDir Path dir) throws Exception {
        long[] free = greedyTokens(modelDir(dir, null, null));
        int k = 1;
        while (k < free.length && free[k] == free[0]) {
            k++;
        }
        assertThat(k).as("the tiny model says more than one word").isLessThan(free.length);
        String stop = "w" + free[k];
        String all = java.util.Arrays.stream(free).mapToObj(t -> "w" + t).collect(Collectors.joining(" "));
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("tiny", dir, Optional.empty(), 1)) {
            ChatResponse cut = chat.chat(ASK.withStop(List.of(stop)));
            assertThat(cut.stopReason()).isEqualTo(StopReason.STOP_SEQUENCE);
            assertThat(cut.content()).isEqualTo(all.substring(0, all.indexOf(stop))).isNotEmpty();
        }
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": [99, " + free[2] + "]}");
        try (OnnxChatBackend chat = OnnxChatBackend.fromDirectory("tiny", dir, Optional.empty(), 1)) {
            ChatResponse ended = chat.chat(ASK);
            assertThat(ended.stopReason()).isEqualTo(StopReason.END_TURN);
            assertThat(ended.rawStopReason()).isEqualTo("end_token");
            assertThat(ended.usage().outputTokens()).isEqualTo(3);
            assertThat(ended.content()).isEqualTo("w" + free[0] + " w" + free[1]);
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
    void callersTakeTurnsAndAnInterruptedCallerGetsInterruptedException(@TempDir Path dir) throws Exception {
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
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> chat.chat(ASK)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse(); // the exception consumed the interrupt
            // interrupted while generating (the sink runs on the caller's thread): stopped at the next token
            StringBuilder seen = new StringBuilder();
            assertThatThrownBy(() -> chat.stream(ASK, delta -> {
                seen.append(delta);
                Thread.currentThread().interrupt();
            })).isInstanceOf(InterruptedException.class).hasMessageContaining("cancelled after");
            assertThat(Thread.interrupted()).isFalse();
            assertThat(alone).startsWith(seen.toString()).isNotEqualTo(seen.toString());
            assertThat(chat.chat(ASK).content()).isEqualTo(alone);
        }
    }

    @Test
    void aDeepSeekR1AnswerIsReasoningUntilItClosesItsThinkBlockAndThinkingOffClosesItInThePrompt(@TempDir Path dir)
            throws Exception {
        modelDir(dir, null, null);
        try (OnnxTextGenerator reference = OnnxTextGenerator.fromDirectory(dir, 1);
             OnnxChatBackend chat = OnnxChatBackend.fromDirectory("r1", dir, Optional.of(ChatFormat.DEEPSEEK_R1), 1)) {
            String prompt = "<｜begin▁of▁sentence｜><｜User｜>w3 w7<｜Assistant｜><think>\n";
            var expected = reference.generate(prompt, 8, OnnxCausalLm.Sampling.greedy(), ChatFormat.DEEPSEEK_R1.stops(),
                    Set.of(), t -> { }, () -> false);
            RecordingSink streamed = new RecordingSink();
            ChatResponse r = chat.stream(ASK, streamed);
            // the tiny model never writes </think>: all of its answer is reasoning
            assertThat(r.reasoning()).isEqualTo(expected.text().strip()).isNotEmpty();
            assertThat(streamed.reasoning()).isEqualTo(expected.text());
            assertThat(r.content()).isEmpty();
            assertThat(streamed.content()).isEmpty();

            var closed = reference.generate(prompt + "</think>", 8, OnnxCausalLm.Sampling.greedy(),
                    ChatFormat.DEEPSEEK_R1.stops(), Set.of(), t -> { }, () -> false);
            ChatResponse off = chat.chat(ASK.withThinking(dev.hearth.api.Thinking.OFF));
            assertThat(off.reasoning()).isEmpty();
            assertThat(off.content()).isEqualTo(closed.text().stripLeading()).isNotEmpty();
        }
    }
}
