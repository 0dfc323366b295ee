package dev.hearth.llama;

import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * JSON schemas that llama.cpp's converter recursed on past the JSON depth check (issue 13): a chain of $refs (800,
 * at JSON depth 3), a long property name with additionalProperties (the converter walks names a character a level),
 * thousands of optional properties (one level each). Every schema goes through each way it reaches the shim: a
 * grammar, a chat's response format, a tool's parameters. Each run is a child JVM, so a crash fails the test.
 */
class SchemaBudgetTest {
    public static void main(String[] args) throws Exception {
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[0]));
        Map<String, String> schemas = new LinkedHashMap<>();
        schemas.put("a chain of 800 $refs", refChain(800));
        schemas.put("400 objects chained by $refs", propertyChain(400));
        schemas.put("a name of 20000 characters", longName(20_000));
        schemas.put("3000 optional properties", optionals(3_000));
        schemas.put("2^40 paths of $refs", diamonds(40));
        schemas.put("arrays nested 40 deep", "{\"type\":\"array\",\"items\":".repeat(40) + "{}" + "}".repeat(40));
        schemas.put("a tree", "{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":"
                + "{\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}}}}}");
        for (int i = 0; i < 12; i++) {
            int n = random.nextInt(4);
            int size = random.nextInt(new int[] {2_000, 30_000, 4_000, 600}[n]);
            schemas.put("random " + i + " (" + size + ")", switch (n) {
                case 0 -> refChain(size);
                case 1 -> longName(size);
                case 2 -> optionals(size);
                default -> propertyChain(size);
            });
        }
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
            ChatTemplate template = model.chatTemplate(OutputNestingTest.template("Qwen-Qwen2.5-7B-Instruct"));
            List<ChatMessage> chat = List.of(ChatMessage.user("Answer"));
            for (Map.Entry<String, String> e : schemas.entrySet()) {
                String name = e.getKey(), schema = e.getValue();
                outcome("grammar " + name, () -> Grammar.jsonSchema(schema));
                outcome("format " + name, () -> template.render(chat, ChatOptions.defaults().withJsonSchema(schema)));
                outcome("tool " + name, () -> template.render(chat, ChatOptions.defaults()
                        .withTools(List.of(new Tool("f", "", schema)), ToolChoice.AUTO)));
            }
        }
        System.out.println("survived");
    }

    private static void outcome(String what, Runnable call) {
        try {
            call.run();
            System.out.println("accepted: " + what);
        } catch (IllegalArgumentException e) {
            System.out.println("refused: " + what + ": " + e.getMessage());
        }
    }

    static String refChain(int n) {
        StringBuilder b = new StringBuilder("{\"$ref\":\"#/$defs/d0\",\"$defs\":{");
        for (int i = 0; i < n; i++) {
            b.append("\"d").append(i).append("\":{\"$ref\":\"#/$defs/d").append(i + 1).append("\"},");
        }
        return b.append("\"d").append(n).append("\":{\"type\":\"string\"}}}").toString();
    }

    static String propertyChain(int n) {
        StringBuilder b = new StringBuilder("{\"$ref\":\"#/$defs/d0\",\"$defs\":{");
        for (int i = 0; i < n; i++) {
            b.append("\"d").append(i).append("\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/d")
                    .append(i + 1).append("\"}}},");
        }
        return b.append("\"d").append(n).append("\":{\"type\":\"string\"}}}").toString();
    }

    static String longName(int n) {
        return "{\"type\":\"object\",\"properties\":{\"" + "a".repeat(n) + "\":{\"type\":\"string\"}},"
                + "\"additionalProperties\":true}";
    }

    static String optionals(int n) {
        StringBuilder b = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"type\":\"string\"}");
        }
        return b.append("}}").toString();
    }

    /** Each definition refers to the next twice: 2^n paths, which the check must not walk one by one. */
    static String diamonds(int n) {
        StringBuilder b = new StringBuilder("{\"$ref\":\"#/$defs/d0\",\"$defs\":{");
        for (int i = 0; i < n; i++) {
            b.append("\"d").append(i).append("\":{\"anyOf\":[{\"$ref\":\"#/$defs/d").append(i + 1)
                    .append("\"},{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/d").append(i + 1).append("\"}}]},");
        }
        return b.append("\"d").append(n).append("\":{\"type\":\"string\"}}}").toString();
    }

    @Test
    void schemasThatOverflowedTheConverterAreRefusedWithWhatToChange() throws Exception {
        ChildJvm.Outcome child = ChildJvm.run(SchemaBudgetTest.class, Map.of(), 200, "7");
        assertThat(child.exitCode()).as(child.output()).isZero();
        String out = child.output();
        for (String path : List.of("grammar", "format", "tool")) {
            assertThat(out).contains("survived")
                    .contains("refused: " + path + " a chain of 800 $refs: ").contains("with its $refs followed")
                    .contains("refused: " + path + " 400 objects chained by $refs: ")
                    .contains("refused: " + path + " a name of 20000 characters: ").contains("has a name of 20000")
                    .contains("refused: " + path + " 3000 optional properties: ").contains("3000 optional properties;")
                    .contains("refused: " + path + " arrays nested 40 deep: ").contains("nested more than 32")
                    .contains("accepted: " + path + " a tree");
        }
    }

    @Test
    void aSchemaWithinTheBudgetsConvertsWhereverItGoes() throws Exception {
        String schema = propertyChain(20); // 20 nested objects through $refs: a deep but real shape
        assertThat(Grammar.jsonSchema(schema).gbnf()).contains("root ::=");
        assertThat(Grammar.jsonSchema(optionals(200)).gbnf()).contains("p199");
    }
}
