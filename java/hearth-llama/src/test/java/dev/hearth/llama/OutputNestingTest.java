package dev.hearth.llama;

import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.internal.ChatStream;
import dev.hearth.llama.internal.Nesting;
import dev.hearth.testkit.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Model output nested deeply (issue 13: the JVM must never die): llama.cpp's output parser recurses once per
 * bracket, and a chat answer is parsed after every token on the thread that streams it. A JSON schema allows any
 * depth, and small models fall into bracket loops: 400 levels ended the JVM. Each case runs in a child JVM, so a
 * crash fails the test instead of the build.
 */
class OutputNestingTest {
    /** An array that must hold an array, forever: the grammar makes the model nest until it is stopped. */
    static final Grammar ENDLESS_BRACKETS = Grammar.gbnf("root ::= \"[\" root \"]\"");

    /** Families whose parsers read JSON: a response format's, or a tool call's (modes: "schema", "tools"). */
    static final List<String> FAMILIES = List.of("Qwen-Qwen2.5-7B-Instruct", "meta-llama-Llama-3.1-8B-Instruct",
            "mistralai-Mistral-Nemo-Instruct-2407", "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use",
            "google-gemma-2-2b-it", "meetkai-functionary-medium-v3.1", "ibm-granite-granite-4.0", "Qwen3-Coder");

    private static final String[] PIECES = {"[", "[", "[", "{\"a\": ", "(", "]", "}", ")", "\"", "'", "\\", ", ", "1",
        " ", "\n", "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": ", "</tool_call>", "```json\n"};

    public static void main(String[] args) throws Exception {
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
            switch (args[0]) {
                case "context" -> {
                    RecordingSink sink = new RecordingSink();
                    report(model.chat(List.of(ChatMessage.user("Nest")), endless(),
                            TestModels.context().withContextSize(4096), sink), sink);
                }
                case "engine" -> {
                    try (LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(2)
                            .withContextSize(8192).withThreads(1))) {
                        RecordingSink sink = new RecordingSink();
                        report(engine.chat(List.of(ChatMessage.user("Nest")), endless(), sink, null), sink);
                    }
                }
                default -> fuzz(model, Long.parseLong(args[1]));
            }
        }
        System.out.println("survived");
    }

    private static ChatOptions endless() throws Exception {
        // a JSON schema with no finite instance is refused up front now (Hearth's converter bounds recursion), so
        // the endless nesting comes from a grammar that never closes a bracket
        return ChatOptions.defaults().withTemplateOverride(template("Qwen-Qwen2.5-7B-Instruct"))
                .withGeneration(GenerationParams.defaults().withMaxTokens(3000).withGrammar(ENDLESS_BRACKETS)
                        .withSampling(SamplingParams.greedy()));
    }

    private static void report(ChatResult r, RecordingSink streamed) {
        System.out.println("finish: " + r.generation().finishReason());
        System.out.println("raw text: " + r.rawText().length() + " characters, answer: " + r.content().length());
        System.out.println("the answer is what was streamed: " + (!r.content().isEmpty()
                && r.content().equals(streamed.content())));
    }

    // Random texts, mostly opening brackets, through the streaming parser and the direct parse of every family.
    private static void fuzz(LlamaModel model, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int parsed = 0, refused = 0;
        for (String family : FAMILIES) {
            ChatTemplate template = model.chatTemplate(template(family));
            for (boolean tools : new boolean[] {false, true}) {
                ChatOptions options = tools
                        ? ChatOptions.defaults().withTools(List.of(ChatTemplatesTest.WEATHER), ToolChoice.AUTO)
                        : ChatOptions.defaults().withJsonSchema("{\"type\": \"array\"}");
                ChatTemplate.Rendered rendered = template.render(List.of(ChatMessage.user("Nest")), options);
                for (int i = 0; i < 6; i++) {
                    String text = text(random, i);
                    ChatStream stream = new ChatStream(template, rendered);
                    for (int at = 0; at < text.length(); ) {
                        int end = Math.min(text.length(), at + 1 + random.nextInt(400));
                        stream.append(text.substring(at, end), ChatSink.discard());
                        at = end;
                    }
                    stream.finish(ChatSink.discard());
                    try {
                        template.parse(rendered, text, random.nextBoolean());
                        parsed++;
                    } catch (IllegalArgumentException e) {
                        refused++; // nested too deep
                    } catch (RuntimeException e) {
                        parsed++; // parsed, and found not to follow the format
                    }
                }
            }
        }
        System.out.println("parsed " + parsed + ", refused " + refused);
    }

    private static String text(SplittableRandom random, int i) {
        return switch (i) {
            case 0 -> "[".repeat(3000);
            case 1 -> "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": " + "{\"a\": [".repeat(1500);
            case 2 -> "\"" + "[".repeat(3000); // inside a string to a parser starting at 0, not to one starting at 1
            default -> {
                StringBuilder b = new StringBuilder();
                while (b.length() < 2000 + random.nextInt(4000)) {
                    b.append(PIECES[random.nextInt(PIECES.length)]);
                }
                yield b.toString();
            }
        };
    }

    static String template(String family) throws Exception {
        return Files.readString(ChatTemplatesTest.templates()
                .filter(p -> p.getFileName().toString().equals(family + ".jinja")).findFirst().orElseThrow());
    }

    private static ChildJvm.Outcome child(String... args) throws Exception {
        return ChildJvm.run(OutputNestingTest.class, Map.of(), 200, args);
    }

    @Test
    void aModelNestingWithoutEndEndsItsAnswerAtTheBudget() throws Exception {
        ChildJvm.Outcome child = child("context");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("finish: NESTING_LIMIT").contains("the answer is what was streamed: true")
                .contains("survived");
    }

    @Test
    void theEngineEndsSuchAnAnswerToo() throws Exception {
        ChildJvm.Outcome child = child("engine");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("finish: NESTING_LIMIT").contains("the answer is what was streamed: true")
                .contains("survived");
    }

    @Test
    void deeplyNestedTextThroughEveryParsePathIsCutOrRefused() throws Exception {
        ChildJvm.Outcome child = child("fuzz", "13");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).containsPattern("parsed \\d+, refused [1-9]").contains("survived");
    }

    @Test
    void theNestingIsMeasuredForEveryParserThatCouldStartAnywhere() {
        assertThat(Nesting.of("[[{\"a\": ([1])}]]")).isEqualTo(5);
        assertThat(Nesting.of("[\"]]]\"]")).as("brackets in a string, read from the start")
                .isEqualTo(1);
        assertThat(Nesting.of("\"" + "[".repeat(9)))
                .as("a parser starting after the quote sees them all").isEqualTo(9);
        assertThat(Nesting.of("it's [[ok]]")).isEqualTo(2);
        Nesting growing = new Nesting();
        growing.add("{\"a\": [");
        assertThat(growing.add("[1], [2]]}")).isEqualTo(3);
        assertThat(Nesting.json("{\"a\": \"[[[[\", \"b\": [[1]]}")).isEqualTo(3);
    }

    @Test
    void noParserStartingAnywhereGoesDeeperThanTheMeasure() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 300; n++) {
            String text = text(random, 3).substring(0, 200 + random.nextInt(300));
            int measured = Nesting.of(text);
            for (int i = 0; i < text.length(); i++) {
                for (String quotes : new String[] {"\"", "\"'"}) { // JSON's strings, Python's
                    assertThat(parserDepth(text, i, quotes)).as("%s from %d", text, i).isLessThanOrEqualTo(measured);
                }
            }
        }
    }

    // How deep a parser that starts at `from`, nests on any bracket and reads strings in `quotes` gets before it fails.
    private static int parserDepth(String text, int from, String quotes) {
        int depth = 0, deepest = 0;
        char inString = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == inString) {
                    inString = 0;
                }
            } else if (quotes.indexOf(c) >= 0) {
                inString = c;
            } else if ("[{(".indexOf(c) >= 0) {
                deepest = Math.max(deepest, ++depth);
            } else if (")]}".indexOf(c) >= 0 && --depth < 0) {
                break;
            }
        }
        return deepest;
    }
}
