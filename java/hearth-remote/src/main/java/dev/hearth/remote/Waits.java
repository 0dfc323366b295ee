package dev.hearth.remote;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a vendor asked us to wait, from whichever header it used: {@code retry-after-ms} (OpenAI), {@code
 * retry-after} (seconds or an HTTP date), Anthropic's {@code anthropic-ratelimit-*-reset} (RFC 3339 times) and
 * OpenAI's {@code x-ratelimit-reset-*} ("1s", "6m0s", "250ms").
 */
final class Waits {
    private static final List<String> RESET_TIMES = List.of("anthropic-ratelimit-requests-reset",
            "anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-input-tokens-reset",
            "anthropic-ratelimit-output-tokens-reset");
    private static final List<String> RESET_SPANS = List.of("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens");
    private static final Pattern SPAN = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private Waits() {
    }

    /** The wait the headers ask for, or null when they ask for none. */
    static Duration from(HttpHeaders headers, Clock clock) {
        var ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(ms.get().trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the other headers
            }
        }
        var after = headers.firstValue("retry-after");
        if (after.isPresent()) {
            String v = after.get().trim();
            try {
                return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return positive(Duration.between(clock.instant(), at));
                } catch (DateTimeParseException ignored) {
                    // fall through
                }
            }
        }
        Duration longest = null;
        for (String name : RESET_TIMES) {
            var v = headers.firstValue(name);
            if (v.isPresent()) {
                try {
                    Duration d = positive(Duration.between(clock.instant(), Instant.parse(v.get().trim())));
                    longest = longest == null || d.compareTo(longest) > 0 ? d : longest;
                } catch (DateTimeParseException ignored) {
                    // an unreadable header says nothing
                }
            }
        }
        for (String name : RESET_SPANS) {
            var v = headers.firstValue(name);
            if (v.isPresent()) {
                Duration d = span(v.get().trim());
                if (d != null) {
                    longest = longest == null || d.compareTo(longest) > 0 ? d : longest;
                }
            }
        }
        return longest;
    }

    /** "6m0s", "1.5s", "250ms", "1h2m" → a duration; null when unreadable. */
    static Duration span(String v) {
        Matcher m = SPAN.matcher(v);
        double millis = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1000;
                default -> n;
            };
            end = m.end();
        }
        return end == 0 || end != v.length() ? null : Duration.ofMillis((long) millis);
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
