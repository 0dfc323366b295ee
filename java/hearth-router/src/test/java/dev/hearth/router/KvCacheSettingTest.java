package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kv_cache_type in hearth.toml: the local engines' KV cache type, under HEARTH_KV_CACHE_TYPE. */
class KvCacheSettingTest {
    @TempDir
    Path dir;

    @Test
    void theFileSetsTheKvCacheTypeAndTheEnvironmentWins() throws IOException {
        Path file = Files.writeString(dir.resolve("hearth.toml"), "kv_cache_type = \"q8_0\"\n");
        HearthConfig config = HearthConfig.load(file);
        assertThat(config.environment(Map.of())).containsEntry("HEARTH_KV_CACHE_TYPE", "q8_0");
        assertThat(config.environment(Map.of("HEARTH_KV_CACHE_TYPE", "q4_0")))
                .containsEntry("HEARTH_KV_CACHE_TYPE", "q4_0");
    }

    @Test
    void anUnknownKvCacheTypeIsRefusedWithItsLineAndTheChoices() throws IOException {
        Path file = Files.writeString(dir.resolve("hearth.toml"), "strategy = \"local_only\"\nkv_cache_type = \"q5\"\n");
        assertThatThrownBy(() -> HearthConfig.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file + " line 2").hasMessageContaining("unknown kv_cache_type \"q5\"")
                .hasMessageContaining("f16").hasMessageContaining("q8_0").hasMessageContaining("q4_0");
    }
}
