package dev.hearth.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Fields;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ollama's {@code keep_alive}: how long the model stays loaded after the answer. A number is seconds; a string is a Go
 * duration ({@code "5m"}, {@code "1h30m"}, {@code "90s"}, {@code "-1"}); zero unloads at once; a negative one keeps
 * the model loaded until the server stops.
 *
 * @param duration  the keep-alive, or null where the request gave none (the host's own applies)
 */
public record KeepAlive(Duration duration) {
    public static final KeepAlive HOST_DEFAULT = new KeepAlive(null);
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** Reads {@code keep_alive} from a request, naming the field when it is malformed. */
    static KeepAlive read(Fields f) {
        JsonNode v = f.get("keep_alive");
        if (v == null) {
            return HOST_DEFAULT;
        }
        if (v.isNumber()) {
            return new KeepAlive(Duration.ofNanos((long) (v.doubleValue() * 1e9)));
        }
        if (!v.isTextual()) {
            throw f.wrongType("keep_alive", "a duration such as \"5m\" or a number of seconds", v);
        }
        return new KeepAlive(parse(v.textValue()));
    }

    /** A Go duration string ("5m", "1h30m", "-1s"), or a bare number of seconds. */
    static Duration parse(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        String body = negative || s.startsWith("+") ? s.substring(1) : s;
        if (body.matches("\\d+(\\.\\d+)?")) {
            Duration d = Duration.ofNanos((long) (Double.parseDouble(body) * 1e9));
            return negative ? d.negated() : d;
        }
        Matcher m = PART.matcher(body);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            long nanosPerUnit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos((long) (n * nanosPerUnit));
            at = m.end();
        }
        if (body.isEmpty() || at != body.length()) {
            throw new BadRequest("keep_alive", "keep_alive must be a duration such as \"5m\", \"1h30m\" or \"-1\", or"
                    + " a number of seconds, not \"" + text + "\"");
        }
        return negative ? total.negated() : total;
    }

    /** Whether the model should be unloaded once idle. */
    public boolean unloads() {
        return duration != null && duration.isZero();
    }

    /** Whether the model should stay loaded until the server stops. */
    public boolean forever() {
        return duration != null && duration.isNegative();
    }
}
