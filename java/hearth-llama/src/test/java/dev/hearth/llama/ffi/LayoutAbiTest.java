package dev.hearth.llama.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.llama.gguf.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compares the Java struct layouts and the ggml type table with what native/abi_probe.c prints. */
class LayoutAbiTest {
    private static final Map<String, Long> probe = new LinkedHashMap<>();

    @BeforeAll
    static void runProbe() throws IOException, InterruptedException {
        Path binary = NativeLibraries.hearthHome().resolve("llama.cpp").resolve(NativeLibraries.LLAMA_CPP_RELEASE)
                .resolve("native-build").resolve("abi_probe");
        assertThat(binary).as("the ABI probe is built by scripts/install-natives.sh").isExecutable();
        Process p = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split(" ", 2);
            if (parts.length == 2) {
                probe.put(parts[0], Long.parseLong(parts[1].split(" ")[0]));
            }
        }
        assertThat(probe).isNotEmpty();
    }

    @Test
    void everyStructHasTheSizeAndAlignmentOfTheHeader() {
        for (StructLayout struct : Layouts.ALL) {
            String name = struct.name().orElseThrow();
            assertThat(struct.byteSize()).as(name + " size").isEqualTo(probe.get(name + ":size"));
            assertThat(struct.byteAlignment()).as(name + " alignment").isEqualTo(probe.get(name + ":align"));
        }
    }

    @Test
    void everyFieldIsWhereTheHeaderPutsIt() {
        int checked = 0;
        for (StructLayout struct : Layouts.ALL) {
            String name = struct.name().orElseThrow();
            for (MemoryLayout member : struct.memberLayouts()) {
                Optional<String> field = member.name();
                if (field.isEmpty()) {
                    continue; // padding
                }
                String key = name + "." + field.get();
                assertThat(probe).as("the probe prints " + key).containsKey(key);
                assertThat(Layouts.offset(struct, field.get())).as(key).isEqualTo(probe.get(key));
                checked++;
            }
        }
        long probedFields = probe.keySet().stream().filter(k -> k.startsWith("llama_") && k.contains(".")).count();
        assertThat(checked).as("every field the probe knows is laid out in Java").isEqualTo((int) probedFields);
    }

    @Test
    void theGgmlTypeTableMatchesLibggml() {
        Map<Integer, long[]> nativeTypes = new LinkedHashMap<>();
        try {
            Path binary = NativeLibraries.hearthHome().resolve("llama.cpp").resolve(NativeLibraries.LLAMA_CPP_RELEASE)
                    .resolve("native-build").resolve("abi_probe");
            String out = new String(new ProcessBuilder(binary.toString()).start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            for (String line : out.split("\n")) {
                if (line.startsWith("ggml_type.")) {
                    String[] parts = line.substring("ggml_type.".length()).split(" ");
                    nativeTypes.put(Integer.parseInt(parts[0]), new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(nativeTypes).hasSize(GgmlType.values().length);
        for (GgmlType type : GgmlType.values()) {
            assertThat(nativeTypes).as(type.name()).containsKey(type.id());
            assertThat(nativeTypes.get(type.id())).as(type.name())
                    .containsExactly(type.blockSize(), type.blockBytes());
        }
    }
}
