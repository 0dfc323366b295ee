package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rules where they are certain (tools present; strong code, math, creative or tool-use evidence): microseconds, no
 * embedding. Everywhere else meaning decides, nudged by the rules' weaker cues: each class's similarity to its examples
 * plus a little of its rule evidence (capped, so one cue cannot outvote meaning), and tool use, whose examples share
 * their topics with every other class, needs at least one cue of an action or of live data. The rules' complexity score
 * is kept. The evidence shows both.
 */
public final class CombinedClassifier implements TaskClassifier {
    /** How much one strong rule cue adds to a class's similarity (similarities between classes differ by ~0.05). */
    static final double RULE_WEIGHT = 0.1;
    /** Rule evidence counted at most this much (a lone cue, not a pile of them). */
    static final double RULE_CAP = 1.5;
    /** Taken from tool use's similarity when no rule saw an action or live data. */
    static final double TOOL_WITHOUT_CUE = 0.05;

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
        s.byClass().forEach((c, sim) -> score.put(c, sim + RULE_WEIGHT * Math.min(cues.getOrDefault(c, 0.0), RULE_CAP)
                / RuleClassifier.STRONG - (c == TaskClass.TOOL_USE && !cues.containsKey(c) ? TOOL_WITHOUT_CUE : 0)));
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

    /** Whether the rules' verdict stands without asking the embedder: tools present, or strong evidence for a class. */
    boolean certain(Classification r) {
        return r.taskClass() != TaskClass.GENERAL && r.taskClass() != TaskClass.QUICK_RESPONSE
                && r.confidence() >= certain;
    }
}
