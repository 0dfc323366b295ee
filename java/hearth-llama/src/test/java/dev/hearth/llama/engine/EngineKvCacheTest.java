package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.api.spi.KvCacheType;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.TestModels;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The KV cache type an engine is given is the one llama.cpp allocates its slots' cache in. */
class EngineKvCacheTest {
    private static final Pattern KV = Pattern.compile("KV buffer size =\\s+([0-9.]+) MiB");
    // heads 32 wide: what a quantized cache needs (256 / 8)
    private static final SyntheticModel SHAPE = new SyntheticModel("kv-engine", 256, 2, 8, 2, 512, 2048, 4096,
            WeightType.Q8_0, false, 7);

    @Test
    void aQuantizedKvCacheReachesLlamaCppAndShrinksTheSlotsCacheAsTheEstimateSays() {
        try (LlamaModel model = LlamaModel.load(TestModels.of(SHAPE), ModelParams.defaults())) {
            double f16 = kvMiB(model, KvCacheType.F16), q8 = kvMiB(model, KvCacheType.Q8_0),
                    q4 = kvMiB(model, KvCacheType.Q4_0);
            assertThat(f16).isPositive();
            // per 32 values: 64 bytes at F16, 34 at Q8_0, 18 at Q4_0 (KvCacheType.bytes, which the estimate uses)
            assertThat(q8 / f16).isCloseTo(34.0 / 64, org.assertj.core.data.Offset.offset(0.01));
            assertThat(q4 / f16).isCloseTo(18.0 / 64, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void aQuantizedKvCacheOnHeadsItCannotSplitIsRefusedSayingWhatToUse() {
        try (LlamaModel tiny = LlamaModel.load(TestModels.tiny(), ModelParams.defaults())) { // heads 16 wide
            assertThatThrownBy(() -> LlamaEngine.start(tiny, params(KvCacheType.Q8_0)).close())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q8_0 KV cache needs")
                    .hasMessageContaining("use KvCacheType.F16");
        }
    }

    @Test
    void aKvCacheTypeIsReadFromItsNameAndAnyOtherNameIsRefusedWithTheChoices() {
        assertThat(KvCacheType.parse(" Q8_0", "kv")).isEqualTo(KvCacheType.Q8_0);
        assertThat(KvCacheType.parse("q4_0", "kv")).isEqualTo(KvCacheType.Q4_0);
        assertThatThrownBy(() -> KvCacheType.parse("q5_1", "HEARTH_KV_CACHE_TYPE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HEARTH_KV_CACHE_TYPE must be f16, q8_0 or q4_0 (a quantized KV cache holds about 1.9x or"
                        + " 3.6x the tokens in the same memory), not \"q5_1\"");
    }

    private static EngineParams params(KvCacheType type) {
        return EngineParams.defaults().withParallel(2).withContextSize(2048).withThreads(1).withKvCacheType(type);
    }

    /** What llama.cpp says it allocated for an engine's KV cache, in MiB. */
    private static double kvMiB(LlamaModel model, KvCacheType type) {
        Logger log = (Logger) LoggerFactory.getLogger("llama.cpp");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        Level level = log.getLevel();
        log.setLevel(Level.INFO); // the buffer sizes are logged at INFO
        try (LlamaEngine engine = LlamaEngine.start(model, params(type))) {
            assertThat(engine.slotContextSize()).isEqualTo(1024);
            double mib = 0;
            for (ILoggingEvent e : List.copyOf(lines.list)) {
                Matcher m = KV.matcher(e.getFormattedMessage());
                if (m.find()) {
                    mib += Double.parseDouble(m.group(1));
                }
            }
            return mib;
        } finally {
            log.detachAppender(lines);
            log.setLevel(level);
        }
    }
}
