package dev.hearth.llama.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.TokenSink;
import dev.hearth.api.ToolChoice;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.ChatTemplatesTest;
import dev.hearth.testkit.ChildJvm;
import dev.hearth.llama.ContextParams;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any natives directory the loader picks gets a shim that matches it: the README's "your own llama.cpp build" route
 * (HEARTH_NATIVES), a directory with one ggml CPU variant (how the tests run as another CPU would), the CUDA build.
 * Each case runs in a child JVM, since a process loads its natives once.
 */
class NativesPairingTest {
    @TempDir
    Path dir;

    /** The child: chat templates, the output parser and a JSON-schema grammar, all through the shim. */
    public static void main(String[] args) {
        try (LlamaModel model = LlamaModel.load(Path.of(args[0]), ModelParams.defaults());
             LlamaContext ctx = model.newContext(ContextParams.defaults().withContextSize(512).withThreads(1))) {
            String prompt = model.chatTemplate("").render(ChatTemplatesTest.CONVERSATION, ChatOptions.defaults()
                    .withTools(List.of(ChatTemplatesTest.WEATHER), ToolChoice.AUTO)).prompt();
            GenerationResult json = ctx.generate(prompt, GenerationParams.defaults().withMaxTokens(64)
                    .withSampling(SamplingParams.greedy()).withJsonSchema("{\"type\":\"boolean\"}"), TokenSink.discard());
            System.out.println("json: " + json.text().strip());
            System.out.println("natives: " + NativeLibraries.load().directory());
            try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
                maps.filter(l -> l.contains("/lib")).map(l -> l.substring(l.indexOf('/'))).distinct()
                        .filter(p -> p.contains("libllama") || p.contains("libggml") || p.contains("hearth_native"))
                        .forEach(p -> System.out.println("mapped: " + p));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path oneVariant(String variant) throws IOException {
        Path cpu = NativeLibraries.hearthHome().resolve("llama.cpp").resolve(NativeLibraries.LLAMA_CPP_RELEASE)
                .resolve("cpu");
        Path out = Files.createDirectories(dir.resolve("natives-" + variant));
        try (Stream<Path> files = Files.list(cpu)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("libggml-cpu-") && !name.equals("libggml-cpu-" + variant + ".so")) {
                    continue;
                }
                Files.copy(f, out.resolve(name));
            }
        }
        return out;
    }

    @Test
    void anotherNativesDirectoryGetsAShimBoundToItsOwnLibraries() throws Exception {
        Path natives = oneVariant("x64"); // the generic variant runs on every x86-64 CPU
        ChildJvm.Outcome child = ChildJvm.run(NativesPairingTest.class,
                Map.of("HEARTH_NATIVES", natives.toString()), 120, TestModels.tiny().toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).containsPattern("json: (true|false)\\n");
        List<String> mapped = child.output().lines().filter(l -> l.startsWith("mapped: "))
                .map(l -> l.substring(8)).toList();
        assertThat(mapped).as("the chat library and the CPU variant come from the chosen directory")
                .anyMatch(p -> p.equals(natives.resolve("libllama-common.so").toString()))
                .anyMatch(p -> p.equals(natives.resolve("libggml-cpu-x64.so").toString()));
        assertThat(mapped).filteredOn(p -> p.contains("libllama") || p.contains("libggml"))
                .as("no library of another natives directory").allMatch(p -> p.startsWith(natives.toString()));
    }

    @Test
    void nativesWithoutTheChatLibrarySayWhatIsMissing() throws Exception {
        Path natives = oneVariant("x64");
        Files.delete(natives.resolve("libllama-common.so"));
        ChildJvm.Outcome child = ChildJvm.run(NativesPairingTest.class,
                Map.of("HEARTH_NATIVES", natives.toString()), 120, TestModels.tiny().toString());
        assertThat(child.exitCode()).isNotZero();
        assertThat(child.output()).contains("have no libllama-common.so").contains(natives.toString())
                .doesNotContain("SIGSEGV");
    }
}
