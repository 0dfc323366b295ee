package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.llama.ffi.NativeLibraries;
import dev.hearth.testkit.SyntheticModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The chat templates that ship with the pinned llama.cpp source (models/templates, installed by
 * scripts/install-natives.sh, not copied into this repository), the tool-call families among them, and synthetic
 * models that speak each family's format (its markers are control tokens of their vocabulary). Thread-safe.
 */
final class ToolFamilies {
    /**
     * The forced calls' token budget. A random model may spell a marker such as {@code </arg_value:opensource>} one
     * character per token and take all the whitespace each {@code space} rule allows (22 characters), so a call can
     * take as many tokens as it has UTF-8 bytes (the grammar refuses empty pieces): about 560 for tencent-Hy3's typed
     * call and 530 for a Hermes-style JSON call with a 12-character city, the longest we counted among the tested
     * formats. 1024 leaves headroom; only a grammar that never ends runs into it.
     */
    static final int MAX_TOKENS = 1024;

    static final String WEATHER_SCHEMA = """
            {"type": "object",
             "properties": {"city": {"type": "string", "maxLength": 12},
                            "days": {"type": "integer", "minimum": 1, "maximum": 7}},
             "required": ["city", "days"], "additionalProperties": false}""";
    static final Tool WEATHER = new Tool("get_weather", "Weather forecast for a city", WEATHER_SCHEMA);

    /** A tool whose arguments are all typed (no strings): every format constrains these through the schema. */
    static final String TYPED_SCHEMA = """
            {"type": "object",
             "properties": {"days": {"type": "integer", "minimum": 1, "maximum": 7}, "metric": {"type": "boolean"}},
             "required": ["days", "metric"], "additionalProperties": false}""";
    static final Tool TYPED = new Tool("get_weather", "Weather forecast", TYPED_SCHEMA);

    private static final Map<String, List<String>> MARKERS = new ConcurrentHashMap<>();
    private static volatile List<String> toolFormatFamilies;

    private ToolFamilies() {
    }

    static Path directory() {
        Path dir = NativeLibraries.hearthHome().resolve("llama.cpp").resolve(NativeLibraries.LLAMA_CPP_RELEASE)
                .resolve("src").resolve("models").resolve("templates");
        assertThat(dir).as("installed by scripts/install-natives.sh").isDirectory();
        return dir;
    }

    static Stream<Path> templates() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            List<Path> jinja = files.filter(p -> p.toString().endsWith(".jinja")).sorted().toList();
            assertThat(jinja).hasSizeGreaterThan(60);
            return jinja.stream();
        }
    }

    static String name(Path template) {
        return template.getFileName().toString().replace(".jinja", "");
    }

    static String source(String family) {
        try {
            return Files.readString(directory().resolve(family + ".jinja"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options that force a call of {@code tool}: greedy, thinking off, {@link #MAX_TOKENS}. */
    static ChatOptions forced(Tool tool) {
        return ChatOptions.defaults().withTools(List.of(tool), ToolChoice.REQUIRED).withReasoning(false)
                .withGeneration(GenerationParams.defaults().withMaxTokens(MAX_TOKENS)
                        .withSampling(SamplingParams.greedy()));
    }

    /** {@code base} (its shape and seed) with the family's template and its markers as control tokens. */
    static SyntheticModel model(String family, SyntheticModel base) {
        String source = source(family);
        return base.withChatFormat(MARKERS.computeIfAbsent(family, f -> markersOf(source)), source);
    }

    /** Every template whose forced tool choice comes with a tool-call grammar, found by rendering it. */
    static List<String> toolFormatFamilies() throws IOException {
        if (toolFormatFamilies == null) {
            synchronized (ToolFamilies.class) {
                if (toolFormatFamilies == null) {
                    List<String> out = new ArrayList<>();
                    try (LlamaModel m = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
                        for (Path file : templates().toList()) {
                            ChatTemplate.Rendered r = m.chatTemplate(Files.readString(file))
                                    .render(ChatTemplatesTest.CONVERSATION, forced(TYPED));
                            if (!r.grammar().isNone()) {
                                out.add(name(file));
                            }
                        }
                    }
                    toolFormatFamilies = List.copyOf(out);
                }
            }
        }
        return toolFormatFamilies;
    }

    private static List<String> markersOf(String source) {
        try (LlamaModel m = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) {
            return markers(m.chatTemplate(source).render(ChatTemplatesTest.CONVERSATION, forced(TYPED)), m);
        }
    }

    private static final Pattern GBNF_STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"");
    private static final Pattern GBNF_TOKEN = Pattern.compile("<[^\\s<>\\[\\]]+>");
    private static final Pattern SPECIAL_TOKEN = Pattern.compile("<[|\uff5c][^\\s<>|\uff5c]+[|\uff5c]>");

    /**
     * The format's special tokens: those llama.cpp preserves, the token references in its grammar, and the tokens
     * spelled {@code <|...|>} or {@code <｜...｜>} in the generation prompt that {@code model}'s tokenizer would not
     * give back as written (real vocabularies have them as special tokens; the synthetic SentencePiece tokenizer turns
     * the {@code ▁} of {@code <｜start▁of▁sentence｜>} into a space, which the grammar's prefill then refuses).
     */
    static List<String> markers(ChatTemplate.Rendered rendered, LlamaModel model) {
        Set<String> out = new LinkedHashSet<>(rendered.preservedTokens());
        Matcher m = GBNF_TOKEN.matcher(GBNF_STRING.matcher(rendered.grammar().gbnf()).replaceAll(" "));
        while (m.find()) {
            out.add(m.group());
        }
        Matcher special = SPECIAL_TOKEN.matcher(rendered.generationPrompt());
        while (special.find()) {
            String token = special.group();
            if (!model.detokenize(model.tokenize(token, false, false), false, false).equals(token)) {
                out.add(token);
            }
        }
        return List.copyOf(out);
    }
}
