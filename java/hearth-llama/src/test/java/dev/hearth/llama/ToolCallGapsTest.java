package dev.hearth.llama;

import static dev.hearth.llama.ToolFamilies.MAX_TOKENS;
import static dev.hearth.llama.ToolFamilies.TYPED;
import static dev.hearth.llama.ToolFamilies.TYPED_SCHEMA;
import static dev.hearth.llama.ToolFamilies.WEATHER;
import static dev.hearth.llama.ToolFamilies.WEATHER_SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.hearth.api.ToolCall;
import dev.hearth.llama.ffi.HearthNativeC;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the pinned llama.cpp's own grammar or parser lets a forced tool call go wrong, proven without generating:
 * each family's grammar (as Hearth runs it) is fed a crafted output that shows the gap, and llama.cpp's parser reads
 * it. They are upstream's to fix (Hearth uses llama.cpp's chat library, it does not fork it), and ChatTemplatesTest
 * cannot test them on a random model, whose output would find the gap some of the time. Each proof first checks
 * that the family's well-formed call is accepted and parses into a valid call, so it fails if tool calling breaks;
 * the gap's own assertion fails once a new pin closes the gap, so that the family moves into the tested set.
 */
class ToolCallGapsTest {
    /** A gap: why a forced call can go wrong, a well-formed typed call (or null where none parses) and the proof. */
    record Gap(String reason, String wellFormed, Consumer<ToolCallProbe> proof) {
    }

    private static final String JSON_ARGS = "{\"days\": 3, \"metric\": true}";
    private static final String KIMI_K2_CALL = "<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:";
    private static final String MISTRAL_CALL = "[TOOL_CALLS]get_weather%s[ARGS]" + JSON_ARGS;
    private static final String LFM2_CALL = "<|tool_call_start|>[get_weather(%s)]<|tool_call_end|>";
    private static final String GLM46_CALL = "<tool_call>get_weather\n<arg_key>days</arg_key>\n<arg_value>3</arg_value>\n"
            + "<arg_key>metric</arg_key>\n<arg_value>true</arg_value>\n%s</tool_call>";
    private static final String ARG_KEYS_CALL = "<tool_call>get_weather<arg_key>days</arg_key><arg_value>3</arg_value>"
            + "<arg_key>metric</arg_key><arg_value>true</arg_value>%s</tool_call>";
    private static final String GEMMA4_CALL = "<|tool_call>call:get_weather{%s}<tool_call|>";
    private static final String DSML_V32_CALL = """

            <｜DSML｜function_calls>
            <｜DSML｜invoke name="get_weather">
            <｜DSML｜parameter name="days" string="false">3</｜DSML｜parameter>
            <｜DSML｜parameter name="metric" string="false">true</｜DSML｜parameter>
            </｜DSML｜invoke>
            </｜DSML｜function_calls>""";

    static final Map<String, Gap> GAPS = new LinkedHashMap<>();

    static {
        String textFirst = "the grammar lets text of any length come before the call";
        gap("Cohere2MoE", "the template opens a thinking block even with thinking off (it reads `reasoning`, not"
                + " enable_thinking), and the grammar lets the thinking run to any length before the call",
                "<|END_THINKING|><|START_ACTION|>[{\"tool_call_id\": \"0\", \"tool_name\": \"get_weather\","
                        + " \"parameters\": " + JSON_ARGS + "}]<|END_ACTION|>",
                p -> unbounded(p, "", "Sunny "));
        gap("CohereForAI-c4ai-command-r7b-12-2024-tool_use", textFirst + " (a <|START_RESPONSE|> block)",
                "<|START_ACTION|>[{\"tool_call_id\": \"0\", \"tool_name\": \"get_weather\", \"parameters\": "
                        + JSON_ARGS + "}]<|END_ACTION|>",
                p -> unbounded(p, "<|START_RESPONSE|>", "Sunny "));
        gap("CohereForAI-c4ai-command-r-plus-tool_use", textFirst + " (a <|CHATBOT_TOKEN|> turn)",
                "Action:\n```json\n[{\"tool_name\": \"get_weather\", \"parameters\": " + JSON_ARGS + "}]```",
                p -> unbounded(p, "<|CHATBOT_TOKEN|>", "Sunny "));
        gap("Kimi-K3", textFirst + " (thinking and a response), and every argument is optional",
                "<|close|>think<|sep|><|open|>tools<|sep|><|open|>call tool=\"get_weather\" index=\"1\"<|sep|>"
                        + "<|open|>argument key=\"days\" type=\"number\"<|sep|>3<|close|>argument<|sep|>"
                        + "<|open|>argument key=\"metric\" type=\"boolean\"<|sep|>true<|close|>argument<|sep|>"
                        + "<|close|>call<|sep|><|close|>tools<|sep|>",
                p -> {
                    unbounded(p, "", "Sunny ");
                    acceptedButInvalid(p, "<|close|>think<|sep|><|open|>tools<|sep|><|open|>call tool=\"get_weather\""
                            + " index=\"1\"<|sep|><|close|>call<|sep|><|close|>tools<|sep|>", TYPED_SCHEMA);
                });
        gap("inclusionai-ling-3.0-flash", textFirst,
                "<tool_call>get_weather<arg_key>days</arg_key><arg_value>3</arg_value><arg_key>metric</arg_key>"
                        + "<arg_value>true</arg_value></tool_call>",
                p -> unbounded(p, "", "Sunny "));
        gap("meetkai-functionary-medium-v3.2", textFirst + " (an `all` message), and ends that text with a call"
                + " the parser reads as text (the grammar has no >>> before the call's name)",
                "get_weather\n" + JSON_ARGS,
                p -> {
                    unbounded(p, "all\n", "Sunny ");
                    acceptedWithoutACall(p, "all\nSunny.get_weather\n" + JSON_ARGS);
                });
        gap("muse-glimmer", textFirst + " (to=self messages), and every argument is optional",
                " to=functions.get_weather<|message|><atem:function_calls>\n<atem:invoke name=\"get_weather\">\n"
                        + "<atem:parameter name=\"days\">3</atem:parameter>\n"
                        + "<atem:parameter name=\"metric\">true</atem:parameter>\n</atem:invoke>\n"
                        + "</atem:function_calls>",
                p -> {
                    unbounded(p, " to=self<|message|>", "Sunny ");
                    acceptedButInvalid(p, " to=functions.get_weather<|message|><atem:function_calls>\n"
                            + "<atem:invoke name=\"get_weather\">\n</atem:invoke>\n</atem:function_calls>",
                            TYPED_SCHEMA);
                });
        gap("openai-gpt-oss-120b", textFirst + " (analysis and commentary messages), and leaves the text after"
                + " the channel name unbounded",
                " to=functions.get_weather<|channel|>commentary json<|message|>" + JSON_ARGS,
                p -> {
                    unbounded(p, "<|channel|>analysis<|message|>", "Sunny ");
                    unbounded(p, " to=functions.get_weather<|channel|>commentary ", "json");
                });
        gap("Mistral-Small-3.2-24B-Instruct-2506", "the call id after [CALL_ID] is unbounded text, and the grammar"
                + " wants [ARGS] before [CALL_ID], refusing the order the template itself writes",
                MISTRAL_CALL.formatted("[ARGS][CALL_ID]abc123456"),
                p -> {
                    unbounded(p, "[TOOL_CALLS]get_weather[ARGS][CALL_ID]", "Sunny ");
                    refused(p, MISTRAL_CALL.formatted("[CALL_ID]abc123456"));
                });
        for (String kimi : List.of("Kimi-K2-Instruct", "Kimi-K2-Thinking", "moonshotai-Kimi-K2")) {
            gap(kimi, "the call index is an unbounded run of digits",
                    KIMI_K2_CALL + "0<|tool_call_argument_begin|>" + JSON_ARGS
                            + "<|tool_call_end|><|tool_calls_section_end|>",
                    p -> unbounded(p, KIMI_K2_CALL, "1"));
        }
        for (String lfm2 : List.of("LFM2-8B-A1B", "LFM2.5-8B-A1B", "LFM2.5-Instruct")) {
            gap(lfm2, "argument values are not constrained by the schema, and required arguments may be left out",
                    LFM2_CALL.formatted("days=3, metric=True"),
                    p -> {
                        acceptedButInvalid(p, LFM2_CALL.formatted("days=99, metric=True"), TYPED_SCHEMA);
                        acceptedButInvalid(p, LFM2_CALL.formatted("days=3"), TYPED_SCHEMA);
                    });
        }
        gap("openbmb-MiniCPM5-1B", "required arguments are not required by the grammar",
                "<function name=\"get_weather\"><param name=\"days\">3</param><param name=\"metric\">true</param>"
                        + "</function>",
                p -> acceptedButInvalid(p, "<function name=\"get_weather\"></function>", TYPED_SCHEMA));
        String whitespace = "the grammar allows whitespace before </tool_call> that the parser rejects";
        gap("GLM-4.6", whitespace, GLM46_CALL.formatted(""), p -> acceptedButUnparsed(p, GLM46_CALL.formatted("\n")));
        for (String family : List.of("GLM-4.7-Flash", "Spark2.5")) {
            gap(family, whitespace, ARG_KEYS_CALL.formatted(""),
                    p -> acceptedButUnparsed(p, ARG_KEYS_CALL.formatted(" ")));
        }
        // parsers/deepseek.cpp: without reasoning extraction, the content before the call must not start with <think>
        gap("deepseek-ai-DeepSeek-V3.2", "the grammar and the parser disagree on every call: with reasoning_format"
                + " none the parser refuses the <think></think> the generation prompt ends with, so not even the call"
                + " the template writes parses",
                null, p -> acceptedButUnparsed(p, DSML_V32_CALL));
        for (String gemma : List.of("google-gemma-4-31B-it", "google-gemma-4-31B-it-interleaved")) {
            gap(gemma, "arguments are not constrained by the schema: any keys and values, of any length",
                    GEMMA4_CALL.formatted("days:3,metric:true"),
                    p -> {
                        acceptedButInvalid(p, GEMMA4_CALL.formatted("days:99,metric:true"), TYPED_SCHEMA);
                        unbounded(p, "<|tool_call>call:get_weather{", "Sunny ");
                    });
        }
    }

    /**
     * Families whose formats carry string arguments as raw text up to a closing tag (so models can write code in
     * them): llama.cpp's grammar does not bound them (maxLength, enum, pattern are not enforced), so a string
     * argument can run until the token limit. Their typed arguments are constrained, and tested. Each call has
     * {@code %s} where the city goes.
     */
    static final Map<String, String> RAW_STRING_CALLS = new LinkedHashMap<>();

    static {
        String qwenXml = "<tool_call>\n<function=get_weather>\n<parameter=city>\n%s\n</parameter>\n"
                + "<parameter=days>\n3\n</parameter>\n</function>\n</tool_call>";
        String dsmlV4 = "\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"get_weather\">\n<｜DSML｜parameter name=\"city\""
                + " string=\"true\">%s</｜DSML｜parameter>\n<｜DSML｜parameter name=\"days\" string=\"false\">3"
                + "</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜tool_calls>";
        String argKeys = "<tool_call>get_weather<arg_key>city</arg_key><arg_value>%s</arg_value><arg_key>days</arg_key>"
                + "<arg_value>3</arg_value></tool_call>";
        String argKeyLines = "<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>%s</arg_value>\n"
                + "<arg_key>days</arg_key>\n<arg_value>3</arg_value>\n</tool_call>";
        RAW_STRING_CALLS.put("ByteDance-Seed-OSS", "<seed:tool_call>\n<function=get_weather>\n<parameter=city>%s"
                + "</parameter>\n<parameter=days>3</parameter>\n</function>\n</seed:tool_call>");
        RAW_STRING_CALLS.put("GLM-4.7-Flash", argKeys);
        RAW_STRING_CALLS.put("MiniMax-M2", "<minimax:tool_call>\n<invoke name=\"get_weather\">\n"
                + "<parameter name=\"city\">%s</parameter>\n<parameter name=\"days\">3</parameter>\n</invoke>\n"
                + "</minimax:tool_call>");
        RAW_STRING_CALLS.put("MiniMax-M3", "]<]minimax[>[<tool_call>]<]minimax[>[<invoke name=\"get_weather\">"
                + "]<]minimax[>[<city>%s]<]minimax[>[</city>]<]minimax[>[<days>3]<]minimax[>[</days>"
                + "]<]minimax[>[</invoke>\n]<]minimax[>[</tool_call>");
        for (String family : List.of("NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", "Qwen3-Coder", "Qwen3.5-4B",
                "StepFun3.5-Flash")) {
            RAW_STRING_CALLS.put(family, qwenXml);
        }
        RAW_STRING_CALLS.put("Spark2.5", argKeys);
        RAW_STRING_CALLS.put("deepseek-ai-DeepSeek-V4", dsmlV4);
        RAW_STRING_CALLS.put("deepseek-ai-DeepSeek-V4-Flash-0731", dsmlV4);
        RAW_STRING_CALLS.put("poolside-Laguna-S-2.1", argKeys);
        RAW_STRING_CALLS.put("poolside-Laguna-XS-2.1", argKeyLines);
        RAW_STRING_CALLS.put("poolside-Laguna-XS.2", argKeyLines);
        RAW_STRING_CALLS.put("tencent-Hy3", "<tool_calls:opensource>\n<tool_call:opensource>get_weather"
                + "<tool_sep:opensource>\n<arg_key:opensource>city</arg_key:opensource>\n<arg_value:opensource>%s"
                + "</arg_value:opensource>\n<arg_key:opensource>days</arg_key:opensource>\n<arg_value:opensource>3"
                + "</arg_value:opensource>\n</tool_call:opensource>\n</tool_calls:opensource>");
    }

    private static void gap(String family, String reason, String wellFormed, Consumer<ToolCallProbe> proof) {
        GAPS.put(family, new Gap(reason, wellFormed, proof));
    }

    static Stream<String> gapFamilies() {
        return GAPS.keySet().stream();
    }

    static Stream<String> rawStringFamilies() {
        return RAW_STRING_CALLS.keySet().stream();
    }

    static Stream<String> toolFamilies() throws IOException {
        return ToolFamilies.toolFormatFamilies().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gapFamilies")
    void upstreamGapStillReproduces(String family) throws IOException {
        Gap gap = GAPS.get(family);
        try (ToolCallProbe probe = ToolCallProbe.of(family, TYPED)) {
            if (gap.wellFormed() != null) {
                wellFormed(probe, gap.wellFormed(), TYPED_SCHEMA);
            }
            try {
                gap.proof().accept(probe);
            } catch (AssertionError e) {
                throw new AssertionError(family + ": the proof of '" + gap.reason() + "' no longer holds (if llama.cpp"
                        + " closed the gap, move the family into the tested set): " + e.getMessage(), e);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawStringFamilies")
    void rawStringArgumentsAreStillUnbounded(String family) throws IOException {
        String call = RAW_STRING_CALLS.get(family);
        try (ToolCallProbe probe = ToolCallProbe.of(family, WEATHER)) {
            wellFormed(probe, call.formatted("Paris"), WEATHER_SCHEMA);
            try {
                acceptedButInvalid(probe, call.formatted("Llanfairpwllgwyngyll"), WEATHER_SCHEMA); // maxLength 12
                unbounded(probe, call.substring(0, call.indexOf("%s")), "Sunny ");
            } catch (AssertionError e) {
                throw new AssertionError(family + ": llama.cpp may now bound raw string arguments; test the family"
                        + " with string arguments: " + e.getMessage(), e);
            }
        }
    }

    /** Every family's grammar takes the generation prompt its template writes (Sampler refuses to start otherwise). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("toolFamilies")
    void theGrammarAcceptsTheTemplatesGenerationPrompt(String family) throws IOException {
        try (ToolCallProbe probe = ToolCallProbe.of(family, TYPED)) {
            assertThat(probe.acceptsGenerationPrompt()).as("generation prompt %s", probe.rendered.generationPrompt())
                    .isTrue();
        }
    }

    // --- the kinds of proof ---

    /** The grammar takes {@code output} as a whole answer, and the parser reads one valid get_weather call in it. */
    static void wellFormed(ToolCallProbe p, String output, String schema) {
        assertAccepted(p, output);
        List<ToolCall> calls = p.parse(output).toolCalls();
        assertThat(calls).as("calls parsed from %s", output).hasSize(1);
        assertThat(calls.getFirst().name()).isEqualTo("get_weather");
        String arguments = calls.getFirst().arguments();
        assertThat(violations(schema, arguments, output)).as(arguments).isEmpty();
    }

    /** The grammar takes {@code opening} and then {@code unit} repeated past the token budget of a forced call. */
    static void unbounded(ToolCallProbe p, String opening, String unit) {
        StringBuilder text = new StringBuilder(opening);
        while (p.tokens(text.toString()).length <= MAX_TOKENS) {
            text.append(unit.repeat(16));
        }
        if (!p.acceptsPrefix(text.toString())) {
            fail("the grammar does not accept %s followed by %s tokens of '%s'%s", opening, MAX_TOKENS, unit,
                    refusal(p, text.toString()));
        }
    }

    /** The grammar refuses {@code output} before its end: a model that writes it is cut off. */
    static void refused(ToolCallProbe p, String output) {
        assertThat(p.acceptedTokens(output)).as("tokens of %s the grammar accepts", output)
                .isLessThan(p.tokens(output).length);
    }

    /** The grammar takes {@code output} as a whole answer, and the parser reads a call that breaks the schema. */
    static void acceptedButInvalid(ToolCallProbe p, String output, String schema) {
        assertAccepted(p, output);
        List<ToolCall> calls = p.parse(output).toolCalls();
        assertThat(calls).as("calls parsed from %s", output).hasSize(1);
        String arguments = calls.getFirst().arguments();
        assertThat(violations(schema, arguments, output)).as("schema violations of %s", arguments).isNotEmpty();
    }

    /** The grammar takes {@code output} as a whole answer, the parser rejects it, and Hearth answers no call. */
    static void acceptedButUnparsed(ToolCallProbe p, String output) {
        assertAccepted(p, output);
        assertThatThrownBy(() -> p.parse(output)).isInstanceOf(HearthNativeC.ShimException.class)
                .hasMessageContaining("does not match the expected");
        assertThat(p.answer(output).toolCalls()).as("calls Hearth answers for %s", output).isEmpty();
    }

    /** The grammar takes {@code output} as a whole answer, and the parser finds no call in it. */
    static void acceptedWithoutACall(ToolCallProbe p, String output) {
        assertAccepted(p, output);
        assertThat(p.parse(output).toolCalls()).as("calls parsed from %s", output).isEmpty();
    }

    private static void assertAccepted(ToolCallProbe p, String output) {
        if (!p.acceptsComplete(output)) {
            fail("the grammar does not accept %s as a whole answer%s", output, refusal(p, output));
        }
    }

    private static String refusal(ToolCallProbe p, String text) {
        int[] tokens = p.tokens(text);
        int accepted = p.acceptedTokens(text);
        if (accepted == tokens.length) {
            return " (it accepts all " + tokens.length + " tokens, but cannot end there)";
        }
        return " (refused token " + accepted + " of " + tokens.length + ", after '"
                + p.model().detokenize(Arrays.copyOf(tokens, accepted), false, true) + "')";
    }

    /** The schema's complaints about {@code arguments}; arguments that are not JSON fail the test. */
    static Set<?> violations(String schema, String arguments, String context) {
        try {
            return ChatTemplatesTest.validate(schema, arguments);
        } catch (IOException e) {
            throw new AssertionError(context + ": the arguments are not JSON: " + arguments, e);
        }
    }
}
