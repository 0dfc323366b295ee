package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.onnx.Embedder;
import dev.hearth.router.LabelledPrompts.Labelled;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rules alone, meaning alone and both together on two labelled sets written for these tests: the 2026 set (issue 20,
 * 224 prompts, every prompt class, written before the classifier was tuned) and the older 100-prompt set. Both are
 * disjoint from the semantic examples ({@link ClassifierEvalSetTest}, and by meaning here). Prints the confusion
 * matrices, the misses and the decision times of the rules' certain path and of the embedder's (not asserted).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the 2026 set first: its times include real embeddings
class ClassifierEvaluationTest {
    private static Embedder embedder;
    private static Memo memo;
    private static RuleClassifier rules;
    private static SemanticClassifier semantic;
    private static CombinedClassifier combined;

    @BeforeAll
    static void open() {
        embedder = Embedder.miniLm();
        rules = new RuleClassifier();
        memo = new Memo(embedder);
        semantic = new SemanticClassifier(memo);
        combined = new CombinedClassifier(rules, semantic, 0.7);
    }

    /** Each text embedded once: the three classifiers and the paraphrase check see the same prompts. */
    private record Memo(dev.hearth.api.EmbeddingBackend inner, java.util.Map<String, float[]> seen)
            implements dev.hearth.api.EmbeddingBackend {
        Memo(dev.hearth.api.EmbeddingBackend inner) {
            this(inner, new java.util.concurrent.ConcurrentHashMap<>());
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public int dimensions() {
            return inner.dimensions();
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            List<String> missing = texts.stream().filter(t -> !seen.containsKey(t)).distinct().toList();
            if (!missing.isEmpty()) {
                List<float[]> vectors = inner.embed(missing);
                for (int i = 0; i < missing.size(); i++) {
                    seen.put(missing.get(i), vectors.get(i));
                }
            }
            return texts.stream().map(seen::get).toList();
        }
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static Evaluation report(String set, TaskClassifier classifier, String name) {
        Evaluation e = Evaluation.run(name + " on " + set, classifier, LabelledPrompts.load(set));
        System.out.println(e.matrix());
        return e;
    }

    @Test
    @Order(1)
    void combinedIsRightOnAtLeastNinetyFivePercentOfThe2026Set() {
        List<Labelled> set = LabelledPrompts.load(ClassifierEvalSetTest.NEW_SET);
        Evaluation.run("warm-up", rules, set);
        Evaluation r = report(ClassifierEvalSetTest.NEW_SET, rules, "rules");
        // the first sight of each prompt: the semantic path's times include a real embedding
        Evaluation c = report(ClassifierEvalSetTest.NEW_SET, combined, "combined");
        Evaluation s = report(ClassifierEvalSetTest.NEW_SET, semantic, "semantic");
        c.misses().forEach(m -> System.out.println("MISS " + m));
        long[] rulePath = java.util.stream.IntStream.range(0, set.size())
                .filter(i -> combined.certain(rules.classify(Evaluation.request(set.get(i).text()))))
                .mapToLong(i -> c.nanos()[i]).toArray();
        long[] semanticPath = java.util.stream.IntStream.range(0, set.size())
                .filter(i -> !combined.certain(rules.classify(Evaluation.request(set.get(i).text()))))
                .mapToLong(i -> c.nanos()[i]).toArray();
        System.out.println(Evaluation.percentiles("rules alone, every prompt", r.nanos()));
        System.out.println(Evaluation.percentiles("combined, decided by the rules (certain)", rulePath));
        System.out.println(Evaluation.percentiles("combined, decided by the embedder", semanticPath));
        System.out.printf("semantic alone: %d/%d%n", s.right(), s.total());
        assertThat(c.accuracy()).as(c.matrix()).isGreaterThanOrEqualTo(0.95); // 157/224 before issue 20's work
    }

    /**
     * The near-copy rule of {@link ClassifierEvalSetTest} compares words; this compares meaning, so an example cannot be
     * an evaluation prompt reworded (MiniLM puts a paraphrase above 0.85; the closest honest pairs sit near 0.7).
     */
    @Test
    void noEvaluationPromptIsAParaphraseOfASemanticExample() {
        List<Labelled> examples = LabelledPrompts.load(ClassifierEvalSetTest.EXAMPLES);
        List<float[]> exampleVectors = memo.embed(examples.stream().map(Labelled::text).toList());
        List<String> paraphrases = new java.util.ArrayList<>();
        double closest = 0;
        for (String set : List.of(ClassifierEvalSetTest.NEW_SET, ClassifierEvalSetTest.OLD_SET)) {
            List<Labelled> prompts = LabelledPrompts.load(set);
            List<float[]> vectors = memo.embed(prompts.stream().map(Labelled::text).toList());
            for (int i = 0; i < prompts.size(); i++) {
                for (int j = 0; j < examples.size(); j++) {
                    double sim = dev.hearth.api.EmbeddingBackend.cosine(vectors.get(i), exampleVectors.get(j));
                    closest = Math.max(closest, sim);
                    if (sim >= 0.85) {
                        paraphrases.add(String.format(java.util.Locale.ROOT, "%.2f %s ~ %s", sim, prompts.get(i).text(),
                                examples.get(j).text()));
                    }
                }
            }
        }
        System.out.printf("closest evaluation prompt to an example: cosine %.2f%n", closest);
        assertThat(paraphrases).isEmpty();
    }

    /** Measured, then held as a floor against regressions (it was not tuned on: see the set's header). */
    @Test
    void combinedOnTheHeldOutSet() {
        Evaluation r = report(ClassifierEvalSetTest.HOLDOUT, rules, "rules");
        Evaluation c = report(ClassifierEvalSetTest.HOLDOUT, combined, "combined");
        c.misses().forEach(m -> System.out.println("MISS(holdout) " + m));
        System.out.printf("held out: combined %d/%d, rules alone %d/%d%n", c.right(), c.total(), r.right(), r.total());
        assertThat(c.right()).as(c.matrix()).isGreaterThan(r.right());
        // first measured at 68/70 (97.1%); the floor leaves room for another CPU's MiniLM, not for a regression
        assertThat(c.accuracy()).as(c.matrix()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void combinedBeatsRulesAloneAndReachesNinetyTwoPercentOnTheOldSet() {
        Evaluation r = report(ClassifierEvalSetTest.OLD_SET, rules, "rules");
        report(ClassifierEvalSetTest.OLD_SET, semantic, "semantic");
        Evaluation c = report(ClassifierEvalSetTest.OLD_SET, combined, "combined");
        c.misses().forEach(m -> System.out.println("MISS(old) " + m));
        assertThat(c.right()).as(c.matrix()).isGreaterThan(r.right());
        assertThat(c.accuracy()).as(c.matrix()).isGreaterThanOrEqualTo(0.92);
    }
}
