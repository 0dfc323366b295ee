package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.Natives;
import dev.hearth.onnx.ChatFormat;
import dev.hearth.testkit.SyntheticModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX generators' chat formats write, for plain conversations, exactly the prompt that llama.cpp's Jinja engine
 * renders from the real templates of those families (the 71 templates of the pinned llama.cpp source), and detection
 * never claims a template whose layout is different.
 */
class OnnxChatFormatAgreementTest {
    @TempDir
    static Path dir;
    static LlamaModel model;

    @BeforeAll
    static void load() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SyntheticModel.tiny().write(file);
        model = LlamaModel.load(file, ModelParams.defaults());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Map<String, String> templates() throws Exception {
        Path templates = Natives.hearthHome().resolve("llama.cpp").resolve(Natives.release()).resolve("src")
                .resolve("models").resolve("templates");
        assertThat(templates).as("installed by scripts/install-natives.sh").isDirectory();
        Map<String, String> all = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(templates)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".jinja")).sorted().toList()) {
                all.put(p.getFileName().toString().replace(".jinja", ""), Files.readString(p));
            }
        }
        assertThat(all).hasSizeGreaterThan(60);
        return all;
    }

    @Test
    void detectionNamesTheFamiliesItKnowsAndNoOtherLayout() throws Exception {
        Map<String, String> all = templates();
        Map<String, Optional<ChatFormat>> expected = Map.ofEntries(
                Map.entry("Qwen-Qwen2.5-7B-Instruct", Optional.of(ChatFormat.CHATML)),
                Map.entry("NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use", Optional.of(ChatFormat.CHATML)),
                Map.entry("meta-llama-Llama-3.2-3B-Instruct", Optional.of(ChatFormat.LLAMA31)),
                Map.entry("unsloth-Apriel-1.5", Optional.empty()),
                Map.entry("google-gemma-2-2b-it", Optional.of(ChatFormat.GEMMA)),
                Map.entry("microsoft-Phi-3.5-mini-instruct", Optional.of(ChatFormat.PHI3)),
                Map.entry("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", Optional.of(ChatFormat.DEEPSEEK_R1)),
                Map.entry("deepseek-ai-DeepSeek-R1-Distill-Llama-8B", Optional.of(ChatFormat.DEEPSEEK_R1)),
                Map.entry("deepseek-ai-DeepSeek-V3.1", Optional.empty()),
                Map.entry("ibm-granite-granite-3.3-2B-Instruct", Optional.empty()),
                Map.entry("mistralai-Mistral-Nemo-Instruct-2407", Optional.empty()));
        expected.forEach((name, format) -> assertThat(ChatFormat.detect(all.get(name))).as(name).isEqualTo(format));
    }

    /**
     * For these families the format is the whole template for plain conversations. Others that use the same layout
     * add their own text on top (a default system prompt when there is none, a tool preamble, an opened think tag):
     * those extras come only with llama.cpp's Jinja engine, and the test prints where they differ.
     */
    static final Set<String> FAITHFUL = Set.of("Qwen-Qwen3-0.6B", "Qwen-Qwen3-0.6B (no system)",
            "Qwen-Qwen2.5-7B-Instruct", "Qwen3-Coder", "Qwen3-Coder (no system)", "LFM2.5-Instruct",
            "LFM2.5-Instruct (no system)", "microsoft-Phi-3.5-mini-instruct", "microsoft-Phi-3.5-mini-instruct (no system)",
            "meta-llama-Llama-3.1-8B-Instruct", "meta-llama-Llama-3.1-8B-Instruct (no system)",
            "meta-llama-Llama-3.2-3B-Instruct", "meta-llama-Llama-3.2-3B-Instruct (no system)",
            "meta-llama-Llama-3.3-70B-Instruct", "meta-llama-Llama-3.3-70B-Instruct (no system)",
            "google-gemma-2-2b-it (no system)", "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B",
            "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B (no system)", "deepseek-ai-DeepSeek-R1-Distill-Llama-8B",
            "deepseek-ai-DeepSeek-R1-Distill-Llama-8B (no system)");

    /**
     * The template as llama.cpp renders it on the day it writes as {@code dateString}. llama.cpp hands templates the
     * day as {@code date_string} ("%d %b %Y"), taken from the system clock: its {@code common_chat_templates_inputs.now}
     * does not reach it, and Hearth's native layer passes no {@code chat_template_kwargs}, which would override it.
     * The template is given the day first, as those kwargs would, and the Llama templates keep a date_string they have.
     */
    static String onDay(String template, String dateString) {
        return template.contains("date_string") ? "{%- set date_string = \"" + dateString + "\" %}" + template : template;
    }

    @Test
    void theFormatsRenderThePromptLlamaCppRendersFromTheFamiliesTemplates() throws Exception {
        List<ChatMessage> conversation = List.of(ChatMessage.system("You are terse."), ChatMessage.user("Hi there"),
                ChatMessage.assistant("Hello."), ChatMessage.user("Name a colour."));
        List<ChatMessage> noSystem = conversation.subList(1, conversation.size());
        // Llama 3.1 and later write the day into the system turn: both renders are given the same one, so that the
        // comparison cannot flip at midnight (or differ by a time zone) between the two
        LocalDate day = LocalDate.of(2026, 3, 5);
        String dateString = "05 Mar 2026"; // the day as llama.cpp writes it ("%d %b %Y")
        Map<String, String> agreed = new LinkedHashMap<>();
        Map<String, String> differ = new LinkedHashMap<>();
        for (var e : templates().entrySet()) {
            Optional<ChatFormat> format = ChatFormat.detect(e.getValue());
            if (format.isEmpty()) {
                continue;
            }
            for (List<ChatMessage> messages : List.of(conversation, noSystem)) {
                String key = e.getKey() + (messages == noSystem ? " (no system)" : "");
                String theirs;
                try {
                    theirs = model.chatTemplate(onDay(e.getValue(), dateString)).render(messages, ChatOptions.defaults())
                            .prompt();
                } catch (RuntimeException refused) {
                    differ.put(key, "llama.cpp refused: " + refused.getMessage());
                    continue;
                }
                // llama.cpp leaves the BOS token to the tokenizer; ONNX prompts carry it as text
                String ours = format.get().render(messages, day)
                        .replaceFirst("^(<\\|begin_of_text\\|>|<bos>|<｜begin▁of▁sentence｜>)", "");
                if (ours.equals(theirs)) {
                    agreed.put(key, format.get().name());
                } else {
                    differ.put(key, "ours:\n" + ours + "\n--- llama.cpp:\n" + theirs);
                }
            }
        }
        System.out.println("the same prompt as llama.cpp (" + agreed.size() + "): " + agreed);
        differ.forEach((k, v) -> System.out.println("extras in " + k + "\n" + v + "\n======"));
        assertThat(agreed.keySet()).containsAll(FAITHFUL);
        assertThat(agreed.values()).contains("CHATML", "LLAMA31", "GEMMA", "PHI3", "DEEPSEEK_R1");
    }
}
