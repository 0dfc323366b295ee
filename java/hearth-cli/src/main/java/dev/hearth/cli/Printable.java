package dev.hearth.cli;

import java.time.Duration;

/**
 * Text from files, servers and other processes made safe to print on a terminal, and durations as people write them:
 * the one place the CLI does either.
 */
final class Printable {
    private Printable() {
    }

    /**
     * {@code text} with every control character (escape sequences, carriage returns, new lines) and every invisible
     * formatting character (bidirectional overrides, zero-width characters) shown as a {@code \\uXXXX} escape, so a
     * name in a file cannot rewrite the terminal or hide what it is.
     */
    static String of(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** A duration as a person writes it: {@code 5m}, {@code 1h30m}, {@code 45s}, {@code 250ms}; negative is forever. */
    static String duration(Duration d) {
        if (d.isNegative()) {
            return "forever";
        }
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (d.toDays() > 0) {
            out.append(d.toDays()).append('d');
        }
        if (d.toHoursPart() > 0) {
            out.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            out.append(d.toSecondsPart()).append('s');
        }
        if (d.toMillisPart() > 0 && d.toSeconds() == 0) {
            out.append(d.toMillisPart()).append("ms");
        }
        return out.isEmpty() ? "0s" : out.toString();
    }
}
