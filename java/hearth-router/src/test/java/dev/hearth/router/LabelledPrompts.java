package dev.hearth.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Labelled prompt files (class TAB prompt, "\n" for a line break) and the near-duplicate rule the sets are kept by. */
final class LabelledPrompts {
    record Labelled(TaskClass expected, String text) {
    }

    private LabelledPrompts() {
    }

    /** A class-path resource of labelled prompts; comments (#) and blank lines skipped. */
    static List<Labelled> load(String resource) {
        List<Labelled> out = new ArrayList<>();
        try (InputStream in = LabelledPrompts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split("\t", 2);
                    out.add(new Labelled(TaskClass.valueOf(f[0].toUpperCase(Locale.ROOT)), f[1].replace("\\n", "\n")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Lower case, letters and digits only, single spaces. */
    static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** A prompt reduced to what the near-copy rule compares: its normalised text and its distinct words. */
    record Shape(String normalised, Set<String> words) {
        static Shape of(String text) {
            String n = normalise(text);
            return new Shape(n, new HashSet<>(Arrays.asList(n.split(" "))));
        }

        /** The same prompt, or nearly: equal once normalised, or sharing at least 60% of their distinct words. */
        boolean nearCopyOf(Shape other) {
            if (normalised.equals(other.normalised)) {
                return true;
            }
            int both = 0;
            for (String w : words) {
                if (other.words.contains(w)) {
                    both++;
                }
            }
            return (double) both / (words.size() + other.words.size() - both) >= 0.6;
        }
    }

    static boolean nearDuplicates(String a, String b) {
        return Shape.of(a).nearCopyOf(Shape.of(b));
    }
}
