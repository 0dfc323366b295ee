package dev.hearth.llama;

import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ToolCall;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conversations whose JSON llama.cpp's chat library parses and recurses on (issue 13): tool-call arguments nested
 * 10,000 deep ended the JVM in every template, a tool result nested as deep in Gemma 4's (whose workaround parses
 * tool results); templates also recurse on arguments themselves (Gemma 4's format_argument, MiniMax-M3's to_xml,
 * Kimi-K3's json_sorted). Each must render or be refused with an IllegalArgumentException that says what to change;
 * each run is a child JVM, so a crash fails the test.
 */
class HistoryBudgetTest {
    static final List<String> FAMILIES = List.of("Qwen-Qwen2.5-7B-Instruct", "google-gemma-4-31B-it-interleaved",
            "google-gemma-4-31B-it", "MiniMax-M3", "Kimi-K3", "meta-llama-Llama-3.1-8B-Instruct");

    public static void main(String[] args) throws Exception {
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[0]));
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
            for (String family : FAMILIES) {
                ChatTemplate template = model.chatTemplate(OutputNestingTest.template(family));
                for (int i = 0; i < 8; i++) {
                    int depth = switch (i) {
                        case 0 -> 10_000;
                        case 1, 2 -> 32;
                        default -> random.nextBoolean() ? random.nextInt(40) : random.nextInt(2_000);
                    };
                    boolean inResult = i == 1 || (i > 2 && random.nextBoolean());
                    String json = nested(depth, random);
                    List<ChatMessage> chat = List.of(ChatMessage.user("Weather?"), ChatMessage.assistant("",
                            List.of(new ToolCall("call_1", "get_weather", inResult ? "{\"city\": \"Oslo\"}" : json))),
                            ChatMessage.tool("call_1", inResult ? json : "{\"temp\": 21}"));
                    String what = family + " " + (inResult ? "result" : "arguments") + " " + depth + " deep";
                    try {
                        template.render(chat, ChatOptions.defaults()
                                .withTools(List.of(ChatTemplatesTest.WEATHER), ToolChoice.AUTO));
                        System.out.println("rendered: " + what);
                    } catch (IllegalArgumentException e) {
                        System.out.println("refused: " + what + ": " + e.getMessage());
                    }
                }
            }
        }
        System.out.println("survived");
    }

    /** A JSON object nested {@code depth} levels, mixing objects, arrays and strings with brackets in them. */
    static String nested(int depth, SplittableRandom random) {
        StringBuilder open = new StringBuilder(), close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i == 0 || random.nextBoolean()) {
                open.append("{\"k\": \"[{\", \"v\": ");
                close.insert(0, "}");
            } else {
                open.append("[1, ");
                close.insert(0, "]");
            }
        }
        return open + "2" + close;
    }

    @Test
    void deepToolCallsAndResultsAreRefusedAndShallowOnesRender() throws Exception {
        ChildJvm.Outcome child = ChildJvm.run(HistoryBudgetTest.class, Map.of(), 200, "11");
        assertThat(child.exitCode()).as(child.output()).isZero();
        for (String family : FAMILIES) {
            assertThat(child.output()).contains("survived")
                    .contains("refused: " + family + " arguments 10000 deep: the arguments of call get_weather in"
                            + " message 2: JSON nested 10000 levels deep; Hearth accepts up to 32")
                    .contains("rendered: " + family + " result 32 deep").contains("rendered: " + family + " arguments 32 deep");
        }
    }
}
