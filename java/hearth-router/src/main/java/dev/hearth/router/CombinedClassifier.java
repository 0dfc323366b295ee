package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules where they are certain (tools present; strong code, math, creative or tool-use evidence): microseconds, no
 * embedding. Everywhere else meaning decides, nudged by the rules' weaker cues: each class's similarity to its examples
 * plus a little of its rule evidence (capped, so one cue cannot outvote meaning), less a little for tool use and math
 * when the prompt shows nothing of them. The rules' complexity score
 * is kept. The evidence shows both.
 */
public final class CombinedClassifier implements TaskClassifier {
    /** How much one strong rule cue adds to a class's similarity (similarities between classes differ by ~0.05). */
    static final double RULE_WEIGHT = 0.1;
    /** Rule evidence counted at most this much (a lone cue, not a pile of them). */
    static final double RULE_CAP = 1.5;
    /** Taken from a class's similarity when the prompt shows nothing of it (see {@link #unshown}). */
    static final double UNSHOWN = 0.05;
    private static final Pattern DIGIT = Pattern.compile("\\d");

    private final RuleClassifier rules;
    private final SemanticClassifier semantic;
    private final double certain;

    public CombinedClassifier(RuleClassifier rules, SemanticClassifier semantic, double certain) {
        this.rules = rules;
        this.semantic = semantic;
        this.certain = certain;
    }

    @Override
    public Classification classify(ChatRequest request) {
        Classification r = rules.classify(request);
        if (certain(r)) {
            return r;
        }
        String text = RuleClassifier.lastUserText(request);
        Map<TaskClass, Double> cues = RuleClassifier.scores(text, new ArrayList<>());
        SemanticClassifier.Similarities s = semantic.similarities(text);
        Map<TaskClass, Double> score = new EnumMap<>(TaskClass.class);
        boolean numbers = DIGIT.matcher(text).find();
        s.byClass().forEach((c, sim) -> score.put(c, sim + RULE_WEIGHT * Math.min(cues.getOrDefault(c, 0.0), RULE_CAP)
                / RuleClassifier.STRONG - unshown(c, cues, numbers)));
        var ranked = score.entrySet().stream().sorted(Map.Entry.<TaskClass, Double>comparingByValue().reversed()).toList();
        TaskClass top = ranked.getFirst().getKey();
        List<String> evidence = new ArrayList<>();
        evidence.add(SemanticClassifier.nearestEvidence(s));
        evidence.add(String.format(Locale.ROOT, "%s %.2f vs %s %.2f (meaning and rule cues)",
                SemanticClassifier.name(top), ranked.getFirst().getValue(),
                SemanticClassifier.name(ranked.get(1).getKey()), ranked.get(1).getValue()));
        evidence.add("rules said " + SemanticClassifier.name(r.taskClass()) + " (" + String.join(", ", r.evidence()) + ")");
        return new Classification(top, r.complexity(), SemanticClassifier.confidence(ranked.getFirst().getValue()
                - ranked.get(1).getValue()), evidence);
    }

    /**
     * What a class loses when the prompt does not show it: tool use without a cue of an action or live data, and math
     * without a number or a mathematical word. Their examples share topics with every class (a meeting, a price, a
     * distance); their prompts, nearly always, show themselves.
     */
    private static double unshown(TaskClass c, Map<TaskClass, Double> cues, boolean numbers) {
        return switch (c) {
            case TOOL_USE -> cues.containsKey(c) ? 0 : UNSHOWN;
            case MATH -> cues.containsKey(c) || numbers ? 0 : UNSHOWN;
            default -> 0;
        };
    }

    /** Whether the rules' verdict stands without asking the embedder: tools present, or strong evidence for a class. */
    boolean certain(Classification r) {
        return r.taskClass() != TaskClass.GENERAL && r.taskClass() != TaskClass.QUICK_RESPONSE
                && r.confidence() >= certain;
    }
}
