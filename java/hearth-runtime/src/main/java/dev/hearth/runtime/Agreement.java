package dev.hearth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.EmbeddingBackend;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How far a tournament's answers agree, pair by pair: structured answers field by field after normalisation (numbers
 * by value, strings trimmed and case-folded), text answers by the cosine similarity of the local embedder's vectors.
 * The verdict and the answer returned follow from the matrix alone ({@link #decide}). Thread-safe.
 */
abstract sealed class Agreement {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verdict, the answer returned and the group that agrees with it. */
    record Decision(TournamentResult.Verdict verdict, int chosen, List<Integer> group) {
    }

    /** Pairwise agreement of {@code answers} (null: that candidate failed; it agrees with nothing). */
    abstract double[][] matrix(List<String> answers);

    /** Whether a score counts as agreeing. */
    abstract boolean agrees(double score);

    /** How agreement is measured, with its threshold, for a person. */
    abstract String basis();

    static Agreement structured() {
        return new Structured();
    }

    static Agreement text(EmbeddingBackend embedder, double threshold) {
        return new Text(embedder, threshold);
    }

    /**
     * The largest group of answers that agree with one of them (its centre), and from it the verdict: every candidate
     * answered and every pair agrees is a consensus; a group of more than half of all candidates, failed ones
     * included, is a majority; anything less a dispute. The answer returned is the group's most central one (the most
     * agreement with the rest of it).
     */
    Decision decide(double[][] m, List<String> answers) {
        int n = answers.size();
        List<Integer> best = List.of();
        double bestScore = -1;
        for (int i = 0; i < n; i++) {
            if (answers.get(i) == null) {
                continue;
            }
            List<Integer> group = new ArrayList<>();
            double score = 0;
            for (int j = 0; j < n; j++) {
                if (answers.get(j) != null && (i == j || agrees(m[i][j]))) {
                    group.add(j);
                    score += m[i][j];
                }
            }
            if (group.size() > best.size() || (group.size() == best.size() && score > bestScore)) {
                best = group;
                bestScore = score;
            }
        }
        if (best.isEmpty()) {
            return new Decision(TournamentResult.Verdict.DISPUTE, -1, List.of());
        }
        boolean all = answers.stream().allMatch(a -> a != null);
        boolean everyPair = all && best.size() == n;
        for (int i = 0; everyPair && i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                everyPair &= agrees(m[i][j]);
            }
        }
        TournamentResult.Verdict verdict = everyPair ? TournamentResult.Verdict.CONSENSUS
                : best.size() * 2 > n ? TournamentResult.Verdict.MAJORITY : TournamentResult.Verdict.DISPUTE;
        int chosen = best.getFirst();
        double central = -1;
        for (int i : best) {
            double sum = 0;
            for (int j : best) {
                sum += i == j ? 0 : m[i][j];
            }
            if (sum > central) {
                central = sum;
                chosen = i;
            }
        }
        return new Decision(verdict, chosen, List.copyOf(best));
    }

    /** Text: the cosine similarity of the embedder's vectors, agreeing at or above the threshold. */
    static final class Text extends Agreement {
        private final EmbeddingBackend embedder;
        private final double threshold;

        Text(EmbeddingBackend embedder, double threshold) {
            this.embedder = embedder;
            this.threshold = threshold;
        }

        @Override
        double[][] matrix(List<String> answers) {
            List<String> texts = answers.stream().filter(a -> a != null).map(String::strip).toList();
            List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embed(texts);
            float[][] byCandidate = new float[answers.size()][];
            for (int i = 0, v = 0; i < answers.size(); i++) {
                byCandidate[i] = answers.get(i) == null ? null : vectors.get(v++);
            }
            double[][] m = new double[answers.size()][answers.size()];
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < m.length; j++) {
                    m[i][j] = byCandidate[i] == null || byCandidate[j] == null ? 0 : i == j ? 1
                            : Math.max(0, EmbeddingBackend.cosine(byCandidate[i], byCandidate[j]));
                }
            }
            return m;
        }

        @Override
        boolean agrees(double score) {
            return score >= threshold;
        }

        @Override
        String basis() {
            return "text: cosine similarity of " + embedder.name() + " vectors >= " + threshold;
        }
    }

    /**
     * Structured: the share of fields (leaf paths of either answer) whose values are equal after normalisation;
     * two answers agree only when every field does. An answer that is not JSON agrees with nothing.
     */
    static final class Structured extends Agreement {
        @Override
        double[][] matrix(List<String> answers) {
            List<Map<String, Object>> fields = answers.stream().map(Structured::fields).toList();
            double[][] m = new double[answers.size()][answers.size()];
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < m.length; j++) {
                    m[i][j] = share(fields.get(i), fields.get(j));
                }
            }
            return m;
        }

        private static double share(Map<String, Object> a, Map<String, Object> b) {
            if (a == null || b == null) {
                return 0;
            }
            Set<String> paths = new HashSet<>(a.keySet());
            paths.addAll(b.keySet());
            if (paths.isEmpty()) {
                return 1;
            }
            long equal = paths.stream().filter(p -> a.containsKey(p) && b.containsKey(p)
                    && java.util.Objects.equals(a.get(p), b.get(p))).count();
            return (double) equal / paths.size();
        }

        @Override
        boolean agrees(double score) {
            return score >= 1.0;
        }

        @Override
        String basis() {
            return "structured: every field equal after normalisation (numbers by value, strings trimmed and"
                    + " case-folded)";
        }

        /** An answer's leaf fields by path ("a.b[0]"), normalised; null when it is not JSON. */
        static Map<String, Object> fields(String answer) {
            if (answer == null) {
                return null;
            }
            try {
                Map<String, Object> out = new TreeMap<>();
                flatten("", JSON.readTree(strip(answer)), out);
                return out;
            } catch (java.io.IOException | RuntimeException e) {
                return null;
            }
        }

        // a model may wrap its JSON in a Markdown fence
        private static String strip(String answer) {
            String s = answer.strip();
            if (s.startsWith("```")) {
                s = s.substring(s.indexOf('\n') + 1);
                s = s.endsWith("```") ? s.substring(0, s.length() - 3) : s;
            }
            return s;
        }

        private static void flatten(String path, JsonNode node, Map<String, Object> out) {
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("not JSON");
            }
            if (node.isObject()) {
                node.fields().forEachRemaining(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                        e.getValue(), out));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    flatten(path + "[" + i + "]", node.get(i), out);
                }
            } else {
                out.put(path, normalise(node));
            }
        }

        /** Numbers (and strings that are numbers) by value; other strings trimmed and case-folded. */
        static Object normalise(JsonNode v) {
            if (v.isNumber()) {
                return number(v.decimalValue());
            }
            if (v.isTextual()) {
                String s = v.asText().strip();
                try {
                    return number(new BigDecimal(s));
                } catch (NumberFormatException notANumber) {
                    return s.toLowerCase(Locale.ROOT);
                }
            }
            return v.isNull() ? "null" : v.asText();
        }

        private static BigDecimal number(BigDecimal d) {
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
    }
}
