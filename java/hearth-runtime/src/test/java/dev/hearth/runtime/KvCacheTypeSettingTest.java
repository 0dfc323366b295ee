package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.spi.KvCacheType;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEARTH_KV_CACHE_TYPE (kv_cache_type in hearth.toml) reaches the local engines and their memory estimate. */
class KvCacheTypeSettingTest {
    @TempDir
    Path cache;

    private Map<String, String> env(String kv) {
        return CleanEnvironment.in(cache, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "kv", "MODEL_CACHE_DIR",
                cache.toString(), "HEARTH_KV_CACHE_TYPE", kv);
    }

    /** The loaded model's KV cache bytes as the host placed it, after one answer. */
    private long loadedKvBytes(String kv) throws Exception {
        try (Hearth hearth = Hearth.fromEnvironment(env(kv))) {
            hearth.chat(ChatRequest.of("kv", List.of(ChatMessage.user("hi"))).withMaxTokens(1));
            assertThat(hearth.engineParams("kv")).hasValueSatisfying(p -> assertThat(p.kvCacheType().wireName())
                    .isEqualTo(kv));
            return hearth.host().loaded().getFirst().placement().estimate().cpuKv();
        }
    }

    @Test
    void aQuantizedKvCacheShrinksTheLoadedModelsEstimate() throws Exception {
        // heads 32 wide, which a quantized cache needs
        new SyntheticModel("kv", 256, 2, 8, 2, 512, 2048, 4096, WeightType.Q8_0, false, 5)
                .write(cache.resolve("kv.gguf"));
        long f16 = loadedKvBytes("f16"), q8 = loadedKvBytes("q8_0");
        assertThat(f16).isPositive();
        assertThat(q8).isEqualTo(KvCacheType.Q8_0.bytes(f16 / 2)); // F16: 2 bytes a value
    }

    @Test
    void aBadKvCacheTypeFailsAtStartNamingTheChoices() {
        assertThatThrownBy(() -> Hearth.fromEnvironment(env("q4_k")).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HEARTH_KV_CACHE_TYPE must be f16, q8_0 or q4_0").hasMessageContaining("q4_k");
    }
}
