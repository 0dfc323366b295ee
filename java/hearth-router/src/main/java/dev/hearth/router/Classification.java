package dev.hearth.router;

import java.util.List;

/**
 * A classifier's verdict.
 *
 * @param taskClass   the class
 * @param complexity  0 (trivial) to 1 (hard)
 * @param confidence  0 to 1
 * @param evidence    what it saw, in words ("code fence", "3 questions", "tools present")
 */
public record Classification(TaskClass taskClass, double complexity, double confidence, List<String> evidence) {
    public Classification {
        evidence = List.copyOf(evidence);
    }
}
