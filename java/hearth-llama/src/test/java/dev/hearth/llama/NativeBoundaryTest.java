package dev.hearth.llama;

import dev.hearth.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.TokenSink;
import dev.hearth.testkit.SyntheticModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs and sequences that once ended the JVM inside libhearth_native or llama.cpp. Each runs in a child JVM, so on
 * a build where the crash is back the child dies and this test fails instead of the whole run.
 */
class NativeBoundaryTest {
    /** The child: prints "survived" and exits 0 when the scenario ended as it should. */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "bad-trigger-pattern" -> badTriggerPattern(Path.of(args[1]));
            case "vocabularies-reloaded" -> vocabulariesReloaded(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("survived");
    }

    /** std::regex rejects the trigger "(": llama.cpp throws a C++ exception while it builds the lazy grammar. */
    private static void badTriggerPattern(Path modelFile) {
        try (LlamaModel model = LlamaModel.load(modelFile, ModelParams.defaults());
             LlamaContext ctx = model.newContext(TestModels.context())) {
            Grammar lazy = new Grammar("root ::= \"x\"", true, List.of("(unclosed"), List.of());
            try {
                ctx.generate("hello", GenerationParams.defaults().withMaxTokens(4).withGrammar(lazy),
                        TokenSink.discard());
                throw new AssertionError("a trigger pattern that is not a regular expression was accepted");
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().contains("regular expression")) {
                    throw new AssertionError("unclear error: " + e.getMessage(), e);
                }
            }
            // the context still works
            GenerationResult r = ctx.generate("hello", GenerationParams.defaults().withMaxTokens(3).withIgnoreEog(true),
                    TokenSink.discard());
            if (r.generatedTokens() != 3) {
                throw new AssertionError("generated " + r.generatedTokens());
            }
        }
    }

    /**
     * Models of different vocabulary sizes loaded, used with a grammar (the shim's per-vocabulary piece table) and
     * freed in turn: a table kept for a freed vocabulary must never serve the next one at the same address.
     */
    private static void vocabulariesReloaded(Path small, Path large) {
        for (int round = 0; round < 6; round++) {
            for (Path file : new Path[] {small, large}) {
                try (LlamaModel model = LlamaModel.load(file, ModelParams.defaults());
                     LlamaContext ctx = model.newContext(TestModels.context())) {
                    GenerationResult r = ctx.generate("answer:", GenerationParams.defaults().withMaxTokens(40)
                            .withJsonSchema("{\"type\":\"string\",\"maxLength\":5}"), TokenSink.discard());
                    if (!r.text().startsWith("\"")) {
                        throw new AssertionError("not a JSON string: " + r.text());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-trigger-pattern", "vocabularies-reloaded"})
    void survives(String scenario) throws Exception {
        Path small = TestModels.tiny();
        Path large = TestModels.of(new SyntheticModel("wide-vocab", 64, 1, 4, 2, 128, 60_000, 2048,
                dev.hearth.testkit.WeightType.F32, false, 3));
        ChildJvm.Outcome child = ChildJvm.run(NativeBoundaryTest.class, Map.of(), 240, scenario, small.toString(),
                large.toString());
        assertThat(child.output()).as(scenario).doesNotContain("SIGSEGV").doesNotContain("A fatal error")
                .doesNotContain("terminate called");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("survived");
    }
}
