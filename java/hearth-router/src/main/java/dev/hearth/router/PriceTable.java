package dev.hearth.router;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.hearth.api.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What remote tokens cost: per provider and model, per million tokens, with cache-read, cache-write and off-peak
 * prices where the vendor has them. Configuration, not code: Hearth ships a table with its "as of" date, and users
 * load their own ({@link #load(Path)}) when vendors change names or prices.
 */
public final class PriceTable {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Prices of one model, per million tokens. */
    public record Price(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
        public BigDecimal cost(Usage u) {
            return input.multiply(BigDecimal.valueOf(u.inputTokens()))
                    .add(output.multiply(BigDecimal.valueOf(u.outputTokens())))
                    .add(cacheRead.multiply(BigDecimal.valueOf(u.cacheReadTokens())))
                    .add(cacheWrite.multiply(BigDecimal.valueOf(u.cacheWriteTokens())))
                    .divide(MILLION, MathContext.DECIMAL64);
        }
    }

    record Entry(String provider, String model, List<String> aliases, BigDecimal input, BigDecimal output,
            @JsonProperty("cache_read") BigDecimal cacheRead, @JsonProperty("cache_write") BigDecimal cacheWrite,
            @JsonProperty("off_peak") Map<String, BigDecimal> offPeak, @JsonProperty("peak_days") List<DayOfWeek> peakDays,
            @JsonProperty("peak_hours_utc") List<String> peakHoursUtc) {
    }

    record File(@JsonProperty("as_of") String asOf, String currency, List<Entry> model) {
    }

    private final LocalDate asOf;
    private final String currency;
    private final Map<String, Entry> entries = new HashMap<>();
    /** Each entry's peak hours, read once when the table is loaded (a price is looked up on every remote call). */
    private final Map<Entry, List<Window>> peakHours = new IdentityHashMap<>();

    private record Window(LocalTime from, LocalTime to) {
        boolean holds(LocalTime t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    private PriceTable(File file) {
        this.asOf = file.asOf() == null ? null : LocalDate.parse(file.asOf().trim());
        this.currency = file.currency() == null ? "USD" : file.currency();
        for (Entry e : file.model() == null ? List.<Entry>of() : file.model()) {
            if (e.provider() == null || e.model() == null || e.input() == null || e.output() == null) {
                throw new IllegalArgumentException("a price entry needs provider, model, input and output: " + e);
            }
            entries.put(key(e.provider(), e.model()), e);
            peakHours.put(e, windows(e));
            for (String alias : e.aliases() == null ? List.<String>of() : e.aliases()) {
                entries.put(key(e.provider(), alias), e);
            }
        }
    }

    /** The table that ships with Hearth. */
    public static PriceTable defaults() {
        try (InputStream in = PriceTable.class.getResourceAsStream("prices.toml")) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in price table cannot be read", e);
        }
    }

    /** A table from a TOML file in the same format as the built-in one. */
    public static PriceTable load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the price table " + file + ": " + e.getMessage(), e);
        }
    }

    private static PriceTable read(InputStream in) throws IOException {
        TomlMapper toml = TomlMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        return new PriceTable(toml.readValue(in, File.class));
    }

    public LocalDate asOf() {
        return asOf;
    }

    public String currency() {
        return currency;
    }

    /** The price of a model at a moment (peak or off-peak), if the table has it. */
    public Optional<Price> price(String provider, String model, Instant at) {
        Entry e = entries.get(key(provider, model));
        if (e == null) {
            return Optional.empty();
        }
        BigDecimal read = e.cacheRead() == null ? e.input() : e.cacheRead();
        BigDecimal write = e.cacheWrite() == null ? e.input() : e.cacheWrite();
        if (e.offPeak() != null && !peak(e, at)) {
            return Optional.of(new Price(e.offPeak().getOrDefault("input", e.input()),
                    e.offPeak().getOrDefault("output", e.output()), e.offPeak().getOrDefault("cache_read", read),
                    e.offPeak().getOrDefault("cache_write", write)));
        }
        return Optional.of(new Price(e.input(), e.output(), read, write));
    }

    /** What a call cost, if the table knows the model. */
    public Optional<BigDecimal> cost(String provider, String model, Usage usage, Instant at) {
        return price(provider, model, at).map(p -> p.cost(usage));
    }

    private boolean peak(Entry e, Instant at) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        if (e.peakDays() != null && !e.peakDays().contains(t.getDayOfWeek())) {
            return false;
        }
        LocalTime now = t.toLocalTime();
        return peakHours.get(e).stream().anyMatch(w -> w.holds(now));
    }

    private static List<Window> windows(Entry e) {
        List<Window> windows = new ArrayList<>();
        for (String window : e.peakHoursUtc() == null ? List.<String>of() : e.peakHoursUtc()) {
            String[] ends = window.split("-");
            try {
                windows.add(new Window(LocalTime.parse(ends[0].trim()), LocalTime.parse(ends[1].trim())));
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException("the price of " + e.provider() + " " + e.model() + " has peak"
                        + " hours '" + window + "'; write them as HH:MM-HH:MM in UTC, e.g. 00:30-16:30");
            }
        }
        return List.copyOf(windows);
    }

    private static String key(String provider, String model) {
        return provider + "\u0000" + model;
    }
}
