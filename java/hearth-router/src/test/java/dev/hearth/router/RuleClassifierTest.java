package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Labelled prompts, written for these tests, and the class the rules must give each. */
class RuleClassifierTest {
    private final RuleClassifier classifier = new RuleClassifier();

    static Stream<Arguments> labelled() {
        return Stream.of(
                // quick responses
                Arguments.of(TaskClass.QUICK_RESPONSE, "Hi there!"),
                Arguments.of(TaskClass.QUICK_RESPONSE, "Thanks, that helped."),
                Arguments.of(TaskClass.QUICK_RESPONSE, "What is the capital of Norway?"),
                Arguments.of(TaskClass.QUICK_RESPONSE, "Translate 'good night' into Spanish."),
                Arguments.of(TaskClass.QUICK_RESPONSE, "Who is the author of Dune?"),
                Arguments.of(TaskClass.QUICK_RESPONSE, "Define photosynthesis in one line."),
                Arguments.of(TaskClass.QUICK_RESPONSE, "When was the Eiffel Tower built?"),
                Arguments.of(TaskClass.QUICK_RESPONSE, "How do you say thank you in Japanese?"),
                // code
                Arguments.of(TaskClass.CODE, "Why does this throw a NullPointerException?\n```java\nString s = map.get(k);\n"
                        + "s.length();\n```"),
                Arguments.of(TaskClass.CODE, "Write a Python function that removes duplicates from a list while keeping"
                        + " the order."),
                Arguments.of(TaskClass.CODE, "Refactor this method so it does not use recursion: def walk(node): return"
                        + " [node] + sum((walk(c) for c in node.children), [])"),
                Arguments.of(TaskClass.CODE, "My TypeScript build fails with 'cannot find module'; the tsconfig has"
                        + " paths set. What should I check?"),
                Arguments.of(TaskClass.CODE, "Give me a SQL query that returns the ten customers with the most orders."),
                Arguments.of(TaskClass.CODE, "How do I write a unit test for a Spring REST endpoint that returns 404?"),
                Arguments.of(TaskClass.CODE, "const total = items.reduce((a, b) => a + b.price, 0); gives NaN, why?"),
                Arguments.of(TaskClass.CODE, "Write a bash script that renames every .jpeg file in a folder to .jpg."),
                Arguments.of(TaskClass.CODE, "Explain what this regex matches: ^(?:[a-z0-9]+\\.)+[a-z]{2,}$"),
                // math
                Arguments.of(TaskClass.MATH, "Solve for x: 3x + 7 = 22"),
                Arguments.of(TaskClass.MATH, "What is the derivative of sin(x) * x^2?"),
                Arguments.of(TaskClass.MATH, "Prove that the square root of 2 is irrational."),
                Arguments.of(TaskClass.MATH, "Compute the integral of 1/(1+x^2) from 0 to 1."),
                Arguments.of(TaskClass.MATH, "If I roll two dice, what is the probability that the sum is 8?"),
                Arguments.of(TaskClass.MATH, "Find the eigenvalues of the matrix [[2, 1], [1, 2]]."),
                Arguments.of(TaskClass.MATH, "Factorize the polynomial x^3 - 6x^2 + 11x - 6."),
                Arguments.of(TaskClass.MATH, "Is 221 a prime number? Show the calculation."),
                // creative
                Arguments.of(TaskClass.CREATIVE, "Write a haiku about autumn rain on a tin roof."),
                Arguments.of(TaskClass.CREATIVE, "Tell me a short story about a lighthouse keeper who befriends a whale."),
                Arguments.of(TaskClass.CREATIVE, "Compose a limerick about a cat who learned to code."),
                Arguments.of(TaskClass.CREATIVE, "Write song lyrics for a sea shanty about cloud computing."),
                Arguments.of(TaskClass.CREATIVE, "I need a catchy slogan for a bakery that only sells sourdough."),
                Arguments.of(TaskClass.CREATIVE, "Imagine a city where it always snows and describe a day in it."),
                Arguments.of(TaskClass.CREATIVE, "Write a sonnet in the style of Shakespeare about a lost umbrella."),
                Arguments.of(TaskClass.CREATIVE, "Draft the opening scene of a screenplay set on a Mars colony."),
                // deep thinking
                Arguments.of(TaskClass.DEEP_THINKING, "Compare event sourcing and CRUD for a banking ledger: what are the"
                        + " trade-offs in consistency, auditability and operational cost?"),
                Arguments.of(TaskClass.DEEP_THINKING, "Why did the Roman Republic fall? Analyze the economic, military and"
                        + " political causes and assess which mattered most."),
                Arguments.of(TaskClass.DEEP_THINKING, "Evaluate the pros and cons of a four-day work week for a 200-person"
                        + " software company."),
                Arguments.of(TaskClass.DEEP_THINKING, "Design an architecture for a multi-region chat service. How would"
                        + " you handle presence? What about message ordering? And offline delivery?"),
                Arguments.of(TaskClass.DEEP_THINKING, "Explain in detail how a central bank's interest rate decision"
                        + " propagates to mortgage rates, step by step."),
                Arguments.of(TaskClass.DEEP_THINKING, "Critique this product strategy: we plan to enter the enterprise"
                        + " market with our consumer app by adding SSO and audit logs."),
                Arguments.of(TaskClass.DEEP_THINKING, "What are the long-term implications of quantum computing for"
                        + " public-key cryptography, and how should a bank plan for them?"),
                Arguments.of(TaskClass.DEEP_THINKING, "Reason about whether remote work increases or decreases"
                        + " innovation in research labs, considering evidence on both sides."),
                // general
                Arguments.of(TaskClass.GENERAL, "Summarize the following meeting notes for the team: we agreed to move"
                        + " the launch to March, marketing will prepare the campaign, and support needs two more"
                        + " people before then."),
                Arguments.of(TaskClass.GENERAL, "Give me some tips for keeping houseplants alive in a dark apartment."),
                Arguments.of(TaskClass.GENERAL, "Suggest a three-day itinerary for a first visit to Lisbon."),
                Arguments.of(TaskClass.GENERAL, "Rewrite this email to sound more polite: send me the report today."),
                Arguments.of(TaskClass.GENERAL, "List some healthy breakfast ideas that take less than ten minutes."),
                Arguments.of(TaskClass.GENERAL, "Help me plan a birthday party for a seven-year-old who loves dinosaurs."),
                Arguments.of(TaskClass.GENERAL, "Extract the names and dates from this text: Anna met Piotr on 3 May,"
                        + " and they signed the lease with Mr. Okafor on 12 June."),
                Arguments.of(TaskClass.GENERAL, "Recommend a few podcasts about history for a long drive."),
                Arguments.of(TaskClass.GENERAL, "Draft a packing list for a week of hiking in the Alps in September."),
                Arguments.of(TaskClass.GENERAL, "Turn these bullet points into a short paragraph: new office opens"
                        + " Monday, parking is free, badges are at the front desk."),
                // more of each, phrased differently
                Arguments.of(TaskClass.QUICK_RESPONSE, "Good morning!"),
                Arguments.of(TaskClass.QUICK_RESPONSE, "Where is Lake Titicaca?"),
                Arguments.of(TaskClass.CODE, "In Rust, how do I share a Vec between threads without copying it?"),
                Arguments.of(TaskClass.CODE, "Kotlin: my coroutine never resumes after withContext(Dispatchers.IO),"
                        + " what could block it?"),
                Arguments.of(TaskClass.MATH, "Calculate the sum of the first 100 odd numbers."),
                Arguments.of(TaskClass.MATH, "A triangle has sides 5, 12 and 13. What is its area?"),
                Arguments.of(TaskClass.CREATIVE, "Write a bedtime fairy tale about a dragon who is afraid of the dark."),
                Arguments.of(TaskClass.DEEP_THINKING, "Assess the strategy of a city that bans cars from its centre:"
                        + " who gains, who loses, and why might it fail?"),
                Arguments.of(TaskClass.DEEP_THINKING, "Analyze why some open-source projects thrive for decades while"
                        + " others die within a year, and what maintainers can learn from it."));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("labelled")
    void eachLabelledPromptGetsItsClass(TaskClass expected, String prompt) {
        Classification c = classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user(prompt))));
        assertThat(c.taskClass()).as("evidence %s", c.evidence()).isEqualTo(expected);
        assertThat(c.confidence()).isBetween(0.0, 1.0);
    }

    @Test
    void toolsMakeItToolUseWhateverTheText() {
        ChatRequest r = ChatRequest.of("auto", List.of(ChatMessage.user("Hi there!")))
                .withTools(List.of(new Tool("lookup", "look something up", null)), ToolChoice.AUTO);
        Classification c = classifier.classify(r);
        assertThat(c.taskClass()).isEqualTo(TaskClass.TOOL_USE);
        assertThat(c.evidence()).containsExactly("1 tool present");
    }

    @Test
    void englishThatLooksLikeCodeSyntaxIsNotCodeSyntax() {
        for (String english : List.of("Cancel my 4pm meeting and let everyone know.",
                "In a class of 30, how many pupils passed?", "Write a play where a ghost tries to return a book.")) {
            assertThat(classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user(english)))).evidence())
                    .as(english).doesNotContain("code syntax");
        }
        assertThat(classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user("why is let x = y; undefined"))))
                .evidence()).contains("code syntax");
    }

    @Test
    void aLoneWeakCueIsAHintAndAStrongOneIsCertain() {
        Classification hint = classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user(
                "File a ticket about the login bug for the team"))));
        Classification strong = classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user(
                "Write a haiku about the login page"))));
        assertThat(hint.taskClass()).isEqualTo(TaskClass.CODE);
        assertThat(hint.confidence()).isLessThan(0.7);
        assertThat(strong.taskClass()).isEqualTo(TaskClass.CREATIVE);
        assertThat(strong.confidence()).isGreaterThanOrEqualTo(0.7);
    }

    @Test
    void anActionOrLiveDataWithoutToolsIsAToolUseCue() {
        for (String ask : List.of("Remind me to water the plants at six.", "Is my train delayed right now?")) {
            Classification c = classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user(ask))));
            assertThat(c.taskClass()).as("%s %s", ask, c.evidence()).isEqualTo(TaskClass.TOOL_USE);
        }
    }

    @Test
    void complexityGrowsWithLengthQuestionsAndReasoning() {
        double quick = classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user("Hi!")))).complexity();
        double deep = classifier.classify(ChatRequest.of("auto", List.of(ChatMessage.user(("Analyze the trade-offs of"
                + " this design step by step. Why would it fail? What would you change? How would you evaluate it? ")
                .repeat(6))))).complexity();
        assertThat(quick).isLessThan(0.1);
        assertThat(deep).isGreaterThan(0.45);
    }

    @Test
    void theCorpusHasAtLeastSixtyPromptsAcrossEveryTextClass() {
        assertThat(labelled().count()).isGreaterThanOrEqualTo(60);
        assertThat(labelled().map(a -> a.get()[0]).distinct().count()).isEqualTo(6);
    }
}
