package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Damaged chat templates (a GGUF file carries its own, and users pass overrides): each renders or is refused with
 * an IllegalArgumentException; the JVM survives every one. Found the unbounded macro recursion TemplateChecks
 * now bounds (TemplateBudgetTest has the recursion that ends the JVM, in a child JVM).
 */
class TemplateFuzzTest extends TinyModelTest {
    private static final String[] INSERTS = {"{%", "%}", "{{", "}}", "{% for x in messages %}", "{% endfor %}",
        "{{ raise_exception('x') }}", "{% if %}", "|tojson", "[0]", "'", "\"", "{#", "loop.", "{{ messages[999] }}",
        "{% set x = x + 1 %}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{{ messages | length }}"};

    @Test
    void everyDamagedTemplateRendersOrIsRefused() throws Exception {
        List<Path> files = ChatTemplatesTest.templates().toList();
        SplittableRandom random = new SplittableRandom(3);
        int rendered = 0, refused = 0;
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder(Files.readString(files.get(random.nextInt(files.size()))));
            for (int e = 0; e < 1 + random.nextInt(3); e++) {
                int at = random.nextInt(b.length());
                if (random.nextBoolean()) {
                    b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(20)));
                } else {
                    b.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
                }
            }
            try {
                model.chatTemplate(b.toString()).render(List.of(ChatMessage.system("s"), ChatMessage.user("u")),
                        ChatOptions.defaults());
                rendered++;
            } catch (IllegalArgumentException expected) {
                refused++;
            }
        }
        assertThat(rendered + refused).isEqualTo(200);
        assertThat(refused).isPositive();
        assertThat(rendered).isPositive();
    }
}
