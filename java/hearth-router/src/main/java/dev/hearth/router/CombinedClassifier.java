package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules where they are certain (tools present; strong code, math or creative evidence), meaning everywhere else: the
 * semantic classifier decides, and the rules' complexity score is kept. The evidence shows both.
 */
public final class CombinedClassifier implements TaskClassifier {
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
        if (r.taskClass() == TaskClass.TOOL_USE || (r.taskClass() != TaskClass.GENERAL
                && r.taskClass() != TaskClass.QUICK_RESPONSE && r.confidence() >= certain)) {
            return r;
        }
        Classification s = semantic.classify(request);
        List<String> evidence = new ArrayList<>(s.evidence());
        evidence.add("rules said " + r.taskClass().name().toLowerCase() + " (" + String.join(", ", r.evidence()) + ")");
        return new Classification(s.taskClass(), r.complexity(), s.confidence(), evidence);
    }
}
