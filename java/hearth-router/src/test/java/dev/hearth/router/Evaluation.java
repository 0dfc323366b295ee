package dev.hearth.router;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.router.LabelledPrompts.Labelled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One classifier run over one labelled set: the confusion matrix, the misses and the time of each decision. */
record Evaluation(String name, int[][] confusion, List<String> misses, long[] nanos) {
    static Evaluation run(String name, TaskClassifier classifier, List<Labelled> set) {
        int n = TaskClass.values().length;
        int[][] confusion = new int[n][n];
        List<String> misses = new ArrayList<>();
        long[] nanos = new long[set.size()];
        for (int i = 0; i < set.size(); i++) {
            Labelled l = set.get(i);
            ChatRequest request = request(l.text());
            long t0 = System.nanoTime();
            Classification c = classifier.classify(request);
            nanos[i] = System.nanoTime() - t0;
            confusion[l.expected().ordinal()][c.taskClass().ordinal()]++;
            if (c.taskClass() != l.expected()) {
                misses.add(l.expected() + " -> " + c.taskClass() + ": " + l.text().replace("\n", "\\n") + "  "
                        + c.evidence());
            }
        }
        return new Evaluation(name, confusion, misses, nanos);
    }

    static ChatRequest request(String text) {
        return ChatRequest.of("auto", List.of(ChatMessage.user(text)));
    }

    int right() {
        int r = 0;
        for (int i = 0; i < confusion.length; i++) {
            r += confusion[i][i];
        }
        return r;
    }

    int total() {
        return Arrays.stream(confusion).flatMapToInt(Arrays::stream).sum();
    }

    double accuracy() {
        return (double) right() / total();
    }

    /** Rows: the label; columns: what the classifier said. Classes no row or column uses are left out. */
    String matrix() {
        List<TaskClass> used = Arrays.stream(TaskClass.values()).filter(c -> {
            int sum = 0;
            for (int i = 0; i < confusion.length; i++) {
                sum += confusion[c.ordinal()][i] + confusion[i][c.ordinal()];
            }
            return sum > 0;
        }).toList();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %d/%d right (%.1f%%)%n", name, right(),
                total(), 100 * accuracy()));
        b.append(String.format(Locale.ROOT, "%-15s", "label \\ said"));
        used.forEach(c -> b.append(String.format(Locale.ROOT, "%9.9s", short_(c))));
        b.append('\n');
        for (TaskClass row : used) {
            b.append(String.format(Locale.ROOT, "%-15s", row.name().toLowerCase(Locale.ROOT)));
            used.forEach(c -> b.append(String.format(Locale.ROOT, "%9d", confusion[row.ordinal()][c.ordinal()])));
            b.append('\n');
        }
        return b.toString();
    }

    private static String short_(TaskClass c) {
        return switch (c) {
            case QUICK_RESPONSE -> "quick";
            case DEEP_THINKING -> "deep";
            case TOOL_USE -> "tool";
            default -> c.name().toLowerCase(Locale.ROOT);
        };
    }

    /** p50 and p99 of the given decision times, in microseconds. */
    static String percentiles(String what, long[] nanos) {
        if (nanos.length == 0) {
            return what + ": no decisions";
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%s: %d decisions, p50 %.1f us, p99 %.1f us", what, sorted.length,
                sorted[sorted.length / 2] / 1e3, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e3);
    }
}
