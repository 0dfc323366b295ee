package dev.hearth.llama;

import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Chat templates that passed the old checks and ended the JVM in llama.cpp's Jinja engine (issue 13): mutual
 * recursion between macros, a self-call inside {@code {% if true %}}, 600 nested parentheses, long operator chains,
 * deeply nested blocks; and real templates with recursion inserted at random. Each must render or be refused with an
 * IllegalArgumentException; each run is a child JVM, so a crash fails the test.
 */
class TemplateBudgetTest {
    static final String CHAIN = "{{ 1" + " + 1".repeat(5000) + " }}";

    public static void main(String[] args) throws Exception {
        Map<String, String> templates = new LinkedHashMap<>();
        switch (args[0]) {
            case "crafted" -> {
                templates.put("mutual recursion", "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}"
                        + "{% endmacro %}{{ a() }}");
                templates.put("a self-call in if true", "{% macro m(x) %}{% if true %}{{ m(x) }}{% endif %}"
                        + "{% endmacro %}{{ m(messages) }}");
                templates.put("600 parentheses", "{{ " + "(".repeat(600) + "1" + ")".repeat(600) + " }}");
                templates.put("5000 additions", CHAIN);
                templates.put("700 nested ifs", "{% if true %}".repeat(700) + "x" + "{% endif %}".repeat(700));
                templates.put("600 nested loops", "{% for m in messages %}".repeat(600) + "{% endfor %}".repeat(600));
                templates.put("huge ranges", "{% for i in range(100000000) %}{% for j in range(100000000) %}"
                        + "{% endfor %}{% endfor %}{{ messages[0].content }}");
                templates.put("a macro passed around", "{% macro a(f) %}{{ f(f) }}{% endmacro %}{{ a(a) }}");
                templates.put("a call block", "{% macro a() %}{{ caller() }}{% endmacro %}{% call a() %}{{ a() }}"
                        + "{% endcall %}");
                templates.put("the worst within the budgets", worstWithinBudgets());
            }
            case "slow" -> templates.put("ranges a million long", "{% set n = 1000 * 1000 %}{% for i in range(n) %}"
                    + "{% for j in range(n) %}{% endfor %}{% endfor %}{{ messages[0].content }}");
            default -> fuzz(new SplittableRandom(Long.parseLong(args[1])), templates);
        }
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
            for (Map.Entry<String, String> t : templates.entrySet()) {
                try {
                    String prompt = model.chatTemplate(t.getValue()).render(List.of(ChatMessage.user("hi")),
                            ChatOptions.defaults().withTools(List.of(ChatTemplatesTest.WEATHER), ToolChoice.AUTO))
                            .prompt();
                    System.out.println("rendered: " + t.getKey() + " (" + prompt.length() + " characters)");
                } catch (IllegalArgumentException e) {
                    System.out.println("refused: " + t.getKey() + ": " + e.getMessage());
                }
            }
        }
        System.out.println("survived");
    }

    /**
     * Recursion 48 deep (the macro budget) where every level goes through 23 nested blocks and calls itself at the
     * bottom of an expression of 96 operators in 15 brackets: what the budgets let the most stack-hungry template do.
     */
    static String worstWithinBudgets() {
        String call = "(".repeat(13) + "(m(k - 1) if k > 0 else '')" + " ~ 'x'".repeat(77) + ")".repeat(13);
        return "{% macro m(k) %}" + "{% if k >= 0 %}".repeat(23) + "{{ " + call + " }}" + "{% endif %}".repeat(23)
                + "{% endmacro %}{{ m(47)|length }}";
    }

    private static final Pattern MACRO = Pattern.compile("\\{%-?\\s*macro\\s+(\\w+)\\s*\\(([^)]*)\\)");

    // Real templates with macros, with calls between their macros (and to themselves) inserted in macro bodies.
    private static void fuzz(SplittableRandom random, Map<String, String> out) throws Exception {
        List<Path> files = ChatTemplatesTest.templates().toList();
        for (int i = 0; i < 40; i++) {
            String source = Files.readString(files.get(random.nextInt(files.size())));
            List<String> names = MACRO.matcher(source).results().map(r -> r.group(1)).toList();
            if (names.isEmpty()) {
                i--;
                continue;
            }
            StringBuilder b = new StringBuilder(source);
            for (int e = 0; e < 1 + random.nextInt(3); e++) {
                Matcher endmacro = Pattern.compile("\\{%-?\\s*endmacro").matcher(b);
                List<Integer> ends = endmacro.results().map(java.util.regex.MatchResult::start).toList();
                int at = ends.get(random.nextInt(ends.size()));
                String callee = names.get(random.nextInt(names.size()));
                String insert = switch (random.nextInt(4)) {
                    case 0 -> "{{ " + callee + "() }}";
                    case 1 -> "{% if true %}{{ " + callee + "(messages) }}{% endif %}";
                    case 2 -> "{% for x in [1, 2] %}{{ " + callee + "(x, x) }}{% endfor %}";
                    default -> "{{ " + "(".repeat(random.nextInt(800)) + callee + "()" + " }}";
                };
                b.insert(at, insert);
            }
            out.put(i + ": " + b.length() + " characters, from a real template", b.toString());
        }
    }

    private static ChildJvm.Outcome child(String... args) throws Exception {
        return ChildJvm.run(TemplateBudgetTest.class, Map.of(), 200, args);
    }

    @Test
    void templatesThatEndedTheJvmAreRefusedOrStopAtTheDepthBound() throws Exception {
        ChildJvm.Outcome child = child("crafted");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("survived")
                .contains("refused: mutual recursion: the chat template could not render").contains("nest deeper than 48")
                .contains("refused: a self-call in if true: the chat template could not render")
                .contains("refused: 600 parentheses: the chat template has an expression at line 1")
                .contains("refused: 5000 additions: the chat template has an expression")
                .contains("refused: 700 nested ifs: the chat template nests 25 blocks")
                .contains("refused: 600 nested loops: the chat template nests 7 for loops")
                .contains("refused: huge ranges: the chat template has the number 100000000")
                .contains("refused: a macro passed around: the chat template uses macro a at line 1 other than by calling")
                .contains("refused: a call block: the chat template uses a {% call %} block")
                .contains("rendered: the worst within the budgets");
    }

    @Test
    void realTemplatesWithRecursionInsertedRenderOrAreRefused() throws Exception {
        ChildJvm.Outcome child = child("fuzz", "5");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("survived").contains("refused: ").contains("rendered: ");
    }

    @Test
    void aTemplateThatLoopsForHoursIsStoppedWaitingForAtItsDeadline() throws Exception {
        ChildJvm.Outcome child = child("slow");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("refused: ranges a million long: the chat template took more than 20 s")
                .contains("survived");
    }

    @Test
    void aRecursiveTemplateRendersAsBeforeWithItsDepthBounded() {
        String source = "{%- macro show(v) -%}{%- if v is mapping -%}{%- for k, x in v.items() -%}{{ k }}({{ show(x)"
                + " }}){%- endfor -%}{%- else -%}{{ v }}{%- endif -%}{%- endmacro -%}"
                + "{{ show({'a': {'b': {'c': 1}}}) }}";
        String guarded = TemplateChecks.guard(source);
        assertThat(guarded).contains("macro show(" + TemplateChecks.DEPTH + ", v)").contains("show(0, {'a'");
        try (LlamaModel model = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
            assertThat(model.chatTemplate(source).render(List.of(ChatMessage.user("x")), ChatOptions.defaults())
                    .prompt()).isEqualTo("a(b(c(1)))");
        }
    }
}
