package dev.hearth.llama;

import dev.hearth.testkit.ChildJvm;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.llama.ffi.HearthNativeC;
import dev.hearth.llama.internal.Budgets;
import dev.hearth.llama.internal.NativeStack;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The margin the budgets leave on {@link NativeStack}: each recursive shim call, given input several times deeper
 * than its budget with the budget checks bypassed, runs on the native stack and would end the JVM on an ordinary
 * thread's 1 MiB. Each run is a child JVM. With {@code -Dhearth.measureStacks=true}, also measures the depth at
 * which each call overflows a 1 MiB, an 8 MiB and the native stack (the figures in {@link Budgets}; an hour).
 */
class NativeStackTest {
    /** What each recursive call is given, by depth. */
    static final Map<String, IntFunction<Runnable>> CALLS = new LinkedHashMap<>();

    static {
        CALLS.put("parse: brackets in a tool call", n -> () -> parse("<tool_call>\n{\"name\": \"get_weather\","
                + " \"arguments\": " + "[".repeat(n)));
        CALLS.put("schema: chain of $refs", n -> () -> schema(SchemaBudgetTest.propertyChain(n)));
        CALLS.put("schema: name length", n -> () -> schema(SchemaBudgetTest.longName(n)));
        CALLS.put("schema: optional properties", n -> () -> schema(SchemaBudgetTest.optionals(n)));
        CALLS.put("template: parentheses", n -> () -> init("{{ " + "(".repeat(n) + "1" + ")".repeat(n) + " }}"));
        CALLS.put("template: operators", n -> () -> init("{{ 1" + " + 1".repeat(n) + " }}"));
        CALLS.put("template: blocks", n -> () -> init("{% if true %}".repeat(n) + "{% endif %}".repeat(n)));
        CALLS.put("template: macro calls", n -> () -> init("{% macro m(k) %}{% if k > 0 %}{{ m(k - 1) }}{% endif %}"
                + "{% endmacro %}{{ m(" + n + ") }}"));
        CALLS.put("history: arguments", n -> () -> apply(init(source("Qwen-Qwen2.5-7B-Instruct")), "{\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":"
                + "\"1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":" + quoted("[".repeat(n)
                + "]".repeat(n)) + "}}]}]}"));
    }

    /** Each call's budget, in the units of its input. */
    static final Map<String, Integer> BUDGETS = Map.of("parse: brackets in a tool call", Budgets.MAX_OUTPUT_NESTING,
            "schema: chain of $refs", Budgets.MAX_SCHEMA_DEPTH, "schema: name length", Budgets.MAX_SCHEMA_NAME_CHARS,
            "schema: optional properties", Budgets.MAX_OPTIONAL_PROPERTIES, "template: parentheses",
            Budgets.MAX_TAG_NESTING, "template: operators", Budgets.MAX_TAG_OPERATORS, "template: blocks",
            Budgets.MAX_BLOCK_NESTING, "template: macro calls", Budgets.MAX_MACRO_DEPTH, "history: arguments",
            Budgets.MAX_JSON_DEPTH);

    /** args: where ("native", or a thread's stack in KiB), then call names and depths, in pairs. */
    public static void main(String[] args) throws Exception {
        for (int i = 1; i < args.length; i += 2) {
            Runnable call = CALLS.get(args[i]).apply(Integer.parseInt(args[i + 1]));
            Runnable logged = () -> {
                try {
                    call.run();
                } catch (RuntimeException e) { // refused by llama.cpp itself, cleanly: the stack held
                    System.out.println("(llama.cpp: " + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            };
            if (args[0].equals("native")) {
                NativeStack.call(() -> {
                    logged.run();
                    return null;
                });
            } else {
                Thread t = Thread.ofPlatform().stackSize(Long.parseLong(args[0]) * 1024).start(logged);
                t.join();
            }
            System.out.println("ok: " + args[i] + " " + args[i + 1]);
        }
    }

    @Test
    void everyRecursiveCallTakesEightTimesItsBudgetOnTheNativeStack() throws Exception {
        String[] args = new String[1 + 2 * CALLS.size()];
        args[0] = "native";
        int i = 1;
        for (String call : CALLS.keySet()) {
            args[i++] = call;
            args[i++] = String.valueOf(8 * BUDGETS.get(call));
        }
        ChildJvm.Outcome child = ChildJvm.run(NativeStackTest.class, Map.of(), 200, args);
        assertThat(child.exitCode()).as(child.output()).isZero();
        for (String call : CALLS.keySet()) {
            assertThat(child.output()).contains("ok: " + call + " " + 8 * BUDGETS.get(call));
        }
    }

    @Test
    void anOrdinaryThreadsStackWouldNotHoldIt() throws Exception {
        ChildJvm.Outcome child = ChildJvm.run(NativeStackTest.class, Map.of(), 200, "1024",
                "parse: brackets in a tool call", String.valueOf(8 * Budgets.MAX_OUTPUT_NESTING));
        assertThat(child.exitCode()).as("a native stack overflow ends the JVM").isNotZero();
    }

    @Test
    @EnabledIfSystemProperty(named = "hearth.measureStacks", matches = "true")
    void measureTheDepthsThatOverflowEachStack() throws Exception {
        for (String call : CALLS.keySet()) {
            for (String where : new String[] {"1024", "8192", "native"}) {
                if (call.equals("schema: optional properties") && !where.equals("1024")) {
                    continue; // the converter is quadratic in them: tens of thousands take hours
                }
                int ok = BUDGETS.get(call), crash = ok;
                while (survives(where, call, crash) && crash < 10_000_000) {
                    ok = crash;
                    crash *= 2;
                }
                while (crash - ok > Math.max(1, ok / 25)) {
                    int mid = (ok + crash) / 2;
                    if (survives(where, call, mid)) {
                        ok = mid;
                    } else {
                        crash = mid;
                    }
                }
                System.out.printf("%-32s %-7s survives %d, overflows %d (budget %d)%n", call, where, ok, crash,
                        BUDGETS.get(call));
            }
        }
    }

    private static boolean survives(String where, String call, int depth) throws Exception {
        return ChildJvm.run(NativeStackTest.class, Map.of(), 600, where, call, String.valueOf(depth)).exitCode() == 0;
    }

    // The shim's calls, raw: none of Hearth's checks.

    private static String parserState;

    private static synchronized void parse(String text) {
        if (parserState == null) {
            JsonNode r = ChatTemplate.parseJson(apply(init(source("NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use")),
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\""
                            + ":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}"));
            parserState = ChatTemplate.JSON.createObjectNode().put("format_id", r.path("format_id").asInt())
                    .put("generation_prompt", r.path("generation_prompt").asText())
                    .put("parser", r.path("parser").asText()).put("parse_tool_calls", true).toString();
        }
        HearthNativeC.call((a, out, error) -> (int) HearthNativeC.hearth_chat_parse.invokeExact(
                a.allocateFrom(parserState), a.allocateFrom(text), 1, out, error));
    }

    private static void schema(String json) {
        HearthNativeC.call((a, out, error) -> (int) HearthNativeC.hearth_json_schema_to_grammar.invokeExact(
                a.allocateFrom(json), out, error));
    }

    private static MemorySegment init(String source) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS), error = a.allocate(ADDRESS);
            int status = (int) HearthNativeC.hearth_chat_templates_init.invokeExact(MemorySegment.NULL,
                    a.allocateFrom(source), out, error);
            if (status != 0) {
                throw new IllegalArgumentException(HearthNativeC.takeString(error.get(ADDRESS, 0)));
            }
            return out.get(ADDRESS, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static String apply(MemorySegment templates, String request) {
        return HearthNativeC.call((a, out, error) -> (int) HearthNativeC.hearth_chat_apply.invokeExact(templates,
                a.allocateFrom(request), out, error));
    }

    private static String source(String family) {
        try {
            return OutputNestingTest.template(family);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(String s) {
        return ChatTemplate.JSON.getNodeFactory().textNode(s).toString();
    }
}
