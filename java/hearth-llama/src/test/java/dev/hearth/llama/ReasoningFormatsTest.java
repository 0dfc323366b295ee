package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reasoning is split from the answer by each family's own parser, whatever markers the family writes: the model's
 * output is written here in the family's format (after the generation prompt its template ends with), so the verdict
 * is the parser's, not a random model's.
 */
class ReasoningFormatsTest extends TinyModelTest {
    /**
     * A family and what its model writes: {@code thinking} with {@code %s} for the reasoning and then the answer;
     * {@code answerOnly} what it writes with thinking turned off (families that always think write an empty thought).
     */
    record Format(String family, String thinking, String answerOnly) {
        @Override
        public String toString() {
            return family;
        }
    }

    static final String ANSWER = "Rayleigh scattering.";

    static Stream<Format> formats() {
        return Stream.of(
                new Format("Qwen-Qwen3-0.6B", "<think>\n%s\n</think>\n\n%s", ANSWER),
                new Format("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", "<think>\n%s\n</think>\n\n%s", ANSWER),
                new Format("openai-gpt-oss-120b", "<|channel|>analysis<|message|>%s<|end|><|start|>assistant"
                        + "<|channel|>final<|message|>%s", "<|channel|>final<|message|>" + ANSWER),
                new Format("CohereForAI-c4ai-command-r7b-12-2024-tool_use",
                        "<|START_THINKING|>%s<|END_THINKING|><|START_RESPONSE|>%s<|END_RESPONSE|>",
                        "<|START_RESPONSE|>" + ANSWER + "<|END_RESPONSE|>"),
                new Format("mistralai-Ministral-3-14B-Reasoning-2512", "[THINK]%s[/THINK]%s", ANSWER),
                new Format("ByteDance-Seed-OSS", "<seed:think>%s</seed:think>%s", ANSWER),
                new Format("MiniMax-M2", "<think>\n%s\n</think>\n\n%s", "</think>\n\n" + ANSWER));
    }

    private static String template(String family) throws IOException {
        Path file = ChatTemplatesTest.templates().filter(p -> p.getFileName().toString().equals(family + ".jinja"))
                .findFirst().orElseThrow();
        return Files.readString(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void theFamilysParserSeparatesReasoningFromTheAnswer(Format format) throws IOException {
        ChatTemplate template = model.chatTemplate(template(format.family()));
        ChatTemplate.Rendered rendered = template.render(List.of(ChatMessage.user("Why is the sky blue?")),
                ChatOptions.defaults().withReasoning(true));
        String output = format.thinking().formatted("light scatters off small molecules", ANSWER);
        // a template that opens the reasoning itself leaves the model to write the rest
        String opened = commonOverlap(rendered.generationPrompt(), output);
        ChatTemplate.Parsed parsed;
        try {
            parsed = template.parse(rendered, output.substring(opened.length()), false);
        } catch (RuntimeException e) {
            throw new AssertionError(format + " after the generation prompt " + rendered.generationPrompt()
                    + " and the output " + output.substring(opened.length()) + ": " + e.getMessage(), e);
        }
        String seen = "%s after the generation prompt %s parsed %s".formatted(format, rendered.generationPrompt(), parsed);
        assertThat(parsed.reasoning()).as(seen).contains("light scatters off small molecules");
        assertThat(parsed.content().strip()).as(seen).isEqualTo(ANSWER);
        assertThat(parsed.toolCalls()).isEmpty();

        ChatTemplate.Rendered plain = template.render(List.of(ChatMessage.user("Why is the sky blue?")),
                ChatOptions.defaults().withReasoning(false));
        String answerOnly = format.answerOnly().substring(commonOverlap(plain.generationPrompt(), format.answerOnly()).length());
        ChatTemplate.Parsed answer = template.parse(plain, answerOnly, false);
        assertThat(answer.content().strip()).as("with reasoning off, after %s: %s", plain.generationPrompt(), answer)
                .isEqualTo(ANSWER);
    }

    /** The longest suffix of {@code prompt} that {@code output} starts with. */
    private static String commonOverlap(String prompt, String output) {
        for (int n = Math.min(prompt.length(), output.length()); n > 0; n--) {
            if (prompt.endsWith(output.substring(0, n))) {
                return output.substring(0, n);
            }
        }
        return "";
    }
}
