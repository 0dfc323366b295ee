package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    private final PriceTable prices = PriceTable.defaults();

    @Test
    void theShippedTableSaysWhenItsPricesWereRead() {
        assertThat(prices.asOf()).isEqualTo(LocalDate.parse("2026-11-22"));
        assertThat(prices.currency()).isEqualTo("USD");
    }

    @Test
    void anthropicBillsCacheReadsAndWritesApart() {
        Usage u = new Usage(1_000_000, 100_000, 2_000_000, 400_000, 0);
        // 1M x $3 + 0.1M x $15 + 2M x $0.30 + 0.4M x $3.75
        assertThat(prices.cost("anthropic", "claude-sonnet-4-6", u, Instant.parse("2026-11-23T12:00:00Z")))
                .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("6.6"));
    }

    @Test
    void deepSeekIsHalfPriceOffPeakAndItsRetiredNameCostsAsItsSuccessor() {
        Usage u = new Usage(1_000_000, 1_000_000, 1_000_000, 0, 0);
        Instant mondayPeak = Instant.parse("2026-11-23T02:30:00Z");
        Instant mondayOffPeak = Instant.parse("2026-11-23T12:00:00Z");
        Instant saturdayPeakHours = Instant.parse("2026-11-28T02:30:00Z");
        BigDecimal peak = prices.cost("deepseek", "deepseek-flash", u, mondayPeak).orElseThrow();
        assertThat(peak).isEqualByComparingTo("1.506"); // 0.30 + 1.20 + 0.006
        assertThat(prices.cost("deepseek", "deepseek-flash", u, mondayOffPeak)).hasValue(new BigDecimal("0.753"));
        assertThat(prices.cost("deepseek", "deepseek-flash", u, saturdayPeakHours)).hasValue(new BigDecimal("0.753"));
        assertThat(prices.cost("deepseek", "deepseek-v4-flash", u, mondayPeak)).hasValue(peak);
    }

    @Test
    void anUnknownModelHasNoPriceRatherThanAGuessedOne() {
        assertThat(prices.cost("deepseek", "deepseek-chat", Usage.NONE, Instant.now())).isEmpty();
    }

    @Test
    void usersLoadTheirOwnTableAndABrokenOneIsRefusedWithTheFileNamed(@TempDir Path dir) throws IOException {
        Path mine = dir.resolve("prices.toml");
        Files.writeString(mine, """
                as_of = "2027-01-01"
                [[model]]
                provider = "vllm"
                model = "qwen3-32b"
                input = 0.10
                output = 0.40
                """);
        PriceTable table = PriceTable.load(mine);
        assertThat(table.cost("vllm", "qwen3-32b", new Usage(2_000_000, 1_000_000, 0, 0, 0), Instant.now()))
                .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.6"));
        Path broken = dir.resolve("broken.toml");
        Files.writeString(broken, "[[model]]\nprovider = \"x\"\n");
        assertThatThrownBy(() -> PriceTable.load(broken)).isInstanceOf(IOException.class)
                .hasMessageContaining("broken.toml").hasMessageContaining("needs provider, model, input and output");
    }

    @Test
    void peakHoursThatAreNotTimesAreRefusedWhenTheTableIsLoadedNotWhenACallIsPriced(@TempDir Path dir)
            throws IOException {
        Path table = dir.resolve("prices.toml");
        Files.writeString(table, """
                [[model]]
                provider = "deepseek"
                model = "deepseek-flash"
                input = 0.30
                output = 1.20
                off_peak = { input = 0.15, output = 0.60 }
                peak_hours_utc = ["00:30-25:00"]
                """);
        assertThatThrownBy(() -> PriceTable.load(table)).isInstanceOf(IOException.class)
                .hasMessageContaining("prices.toml").hasMessageContaining("peak hours '00:30-25:00'")
                .hasMessageContaining("HH:MM-HH:MM");
    }
}
