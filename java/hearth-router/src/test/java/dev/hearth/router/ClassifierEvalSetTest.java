package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.router.LabelledPrompts.Labelled;
import dev.hearth.router.LabelledPrompts.Shape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 2026 evaluation set stays an honest test: big enough, every prompt class in it, and no prompt that is (nearly) one
 * the classifiers were built or checked with (the semantic examples, the old evaluation set, the rules' test prompts).
 */
class ClassifierEvalSetTest {
    static final String NEW_SET = "/classifier-eval-2026.tsv";
    static final String OLD_SET = "/classifier-eval.tsv";
    static final String EXAMPLES = "/dev/hearth/router/semantic-examples.tsv";
    /** Written after the classifier work, never tuned on: how the classifier does on prompts its author did not see. */
    static final String HOLDOUT = "/classifier-holdout-2026.tsv";

    @Test
    void hasAtLeastTwoHundredPromptsWithAtLeastTwentyFivePerPromptClass() {
        List<Labelled> set = LabelledPrompts.load(NEW_SET);
        Map<TaskClass, Integer> perClass = new EnumMap<>(TaskClass.class);
        set.forEach(l -> perClass.merge(l.expected(), 1, Integer::sum));
        assertThat(set).hasSizeGreaterThanOrEqualTo(200);
        for (TaskClass c : TaskClass.values()) {
            if (c != TaskClass.EMBEDDING) { // the endpoint says embedding, never the prompt
                assertThat(perClass.getOrDefault(c, 0)).as(c.name()).isGreaterThanOrEqualTo(25);
            }
        }
    }

    @Test
    void sharesNoPromptOrNearCopyWithTheExamplesTheOldSetOrTheRuleTests() {
        List<String> seen = new ArrayList<>();
        LabelledPrompts.load(EXAMPLES).forEach(l -> seen.add(l.text()));
        LabelledPrompts.load(OLD_SET).forEach(l -> seen.add(l.text()));
        RuleClassifierTest.labelled().forEach(a -> seen.add((String) a.get()[1]));
        List<Shape> seenShapes = seen.stream().map(Shape::of).toList();
        List<String> clashes = new ArrayList<>();
        for (Labelled l : LabelledPrompts.load(NEW_SET)) {
            Shape shape = Shape.of(l.text());
            for (int i = 0; i < seen.size(); i++) {
                if (shape.nearCopyOf(seenShapes.get(i))) {
                    clashes.add(l.text() + "  ~  " + seen.get(i));
                }
            }
        }
        assertThat(clashes).isEmpty();
    }

    @Test
    void theHeldOutSetSharesNoPromptOrNearCopyWithAnyOtherSetTheExamplesOrTheRuleTests() {
        List<String> seen = new ArrayList<>();
        for (String set : List.of(EXAMPLES, OLD_SET, NEW_SET)) {
            LabelledPrompts.load(set).forEach(l -> seen.add(l.text()));
        }
        RuleClassifierTest.labelled().forEach(a -> seen.add((String) a.get()[1]));
        List<Shape> seenShapes = seen.stream().map(Shape::of).toList();
        List<String> clashes = new ArrayList<>();
        List<Labelled> holdout = LabelledPrompts.load(HOLDOUT);
        for (Labelled l : holdout) {
            Shape shape = Shape.of(l.text());
            for (int i = 0; i < seen.size(); i++) {
                if (shape.nearCopyOf(seenShapes.get(i))) {
                    clashes.add(l.text() + "  ~  " + seen.get(i));
                }
            }
        }
        assertThat(clashes).isEmpty();
        assertThat(holdout).hasSize(70);
    }

    @Test
    void hasNoPromptTwice() {
        List<Labelled> set = LabelledPrompts.load(NEW_SET);
        List<Shape> shapes = set.stream().map(l -> Shape.of(l.text())).toList();
        List<String> clashes = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            for (int j = i + 1; j < set.size(); j++) {
                if (shapes.get(i).nearCopyOf(shapes.get(j))) {
                    clashes.add(set.get(i).text() + "  ~  " + set.get(j).text());
                }
            }
        }
        assertThat(clashes).isEmpty();
    }

    @Test
    void theNearCopyRuleCatchesRewordedCopiesAndPassesDifferentPrompts() {
        assertThat(LabelledPrompts.nearDuplicates("Hi there!", "hi there")).isTrue();
        assertThat(LabelledPrompts.nearDuplicates("Who painted the Mona Lisa?", "Who painted the Mona Lisa, please?"))
                .isTrue();
        assertThat(LabelledPrompts.nearDuplicates("Good morning!", "What's a good morning routine for a student?"))
                .isFalse();
        assertThat(LabelledPrompts.nearDuplicates("Write a short poem about the smell of rain.",
                "Write a short poem about the sound of rain.")).isTrue();
        assertThat(LabelledPrompts.nearDuplicates("Who painted the Mona Lisa?", "Who wrote Pride and Prejudice?"))
                .isFalse();
    }
}
