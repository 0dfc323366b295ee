package dev.hearth.router;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Role;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task classification by rules over the last user message: tools present → tool use; code fences, code syntax and
 * programming vocabulary → code; equations and mathematical vocabulary → math; creative-writing verbs → creative;
 * reasoning cues, several questions and length → deep thinking; short plain questions → quick response. Each rule adds
 * weighted evidence; the class with the most wins, and the margin over the runner-up is the confidence.
 */
public final class RuleClassifier implements TaskClassifier {
    private record Rule(TaskClass taskClass, Pattern pattern, double weight, String evidence) {
    }

    private static final List<Rule> RULES = List.of(
            rule(TaskClass.CODE, "```", 3, "code fence"),
            // declarations as code writes them, not English ("let me", "return a book", "a class of 30")
            rule(TaskClass.CODE, "\\b(def|fn|func|function)\\s+\\w+\\s*\\(|\\bclass\\s+[A-Z]\\w*\\s*[:({<]|\\b(const|let|var)"
                    + "\\s+\\w+\\s*=|\\bpublic static\\b|#include\\s*[<\"]|^\\s*(import|from)\\s+[\\w.]+(\\s+import\\b|;|$)"
                    + "|\\breturn\\s+[^.!?\\n]*;", 1.5, "code syntax"),
            rule(TaskClass.CODE, "[;{}]\\s*$|=>|\\(\\)\\s*\\{|\\w+\\.\\w+\\(", 1, "code punctuation"),
            rule(TaskClass.CODE, "\\b(python|java|javascript|typescript|rust|golang|c\\+\\+|kotlin|sql|bash|regex|html|css)\\b",
                    1.5, "programming language"),
            rule(TaskClass.CODE, "\\b(code|function|method|bug|debug|compile[rd]?|stack ?trace|exception|refactor|unit test"
                    + "|api|endpoint|script|null ?pointer|segfault|algorithm|recursion|variable)s?\\b", 1.2,
                    "programming vocabulary"),
            // digits joined by an operator, but not a character range such as [a-z0-9] or a date such as 2024-05-01
            rule(TaskClass.MATH, "(?<![\\w\\[-])\\d+\\s*[-+*/^=]\\s*\\d+(?![\\w\\]-])|\\b[xyz]\\s*[=^]|[∫∑√π≤≥]|\\b\\d+x\\b", 2,
                    "an equation"),
            rule(TaskClass.MATH, "\\b(solve|equation|integral|derivative|prove|proof|theorem|probability|matrix|"
                    + "eigen\\w*|polynomial|factori[sz]e|logarithm|calculate|sum of|prime|geometry|triangle|limit of)\\b",
                    1.5, "math vocabulary"),
            rule(TaskClass.CREATIVE, "\\b(poem|haiku|story|stories|lyrics|song|limerick|fiction|fairy ?tale|slogan|"
                    + "sonnet|screenplay|novel|rhyme|imagine a|myths?|legends?|fables?|ballads?|lullaby|ode|monologue|villanelle|tales?)\\b",
                    2.5, "creative writing"),
            rule(TaskClass.DEEP_THINKING, "\\b(why|explain in detail|step by step|analy[sz]e|compare|trade-?offs?|pros and"
                    + " cons|evaluate|design|architecture|strategy|implications|reason about|in depth|critique|assess)\\b",
                    1.2, "reasoning cue"),
            // asking the assistant to act, or for live or personal data: a tool's job (alone, a hint for the embedder)
            rule(TaskClass.TOOL_USE, "^(please\\s+|can you\\s+|could you\\s+)?(send|text|e-?mail|message|call|book|reserve"
                    + "|(order|buy) (a|an|some|more|two|\\d)|schedule|cancel|remind me|wake me|set (an? |the )?(alarm|timer"
                    + "|reminder|thermostat)|turn (on|off|up|down)|switch (on|off)|play|pause|add\\b.*\\bto my|save\\b.*\\bto my"
                    + "|transfer|pay|track|read me|open the|lock|unlock|dim|restart|deploy|upload|download|forward|delete"
                    + "|unsubscribe|search (the web|online|my)|look up|google|navigate|share my|post (this|it))\\b", 1.5,
                    "an action to take"),
            rule(TaskClass.TOOL_USE, "\\b(right now|at the moment|today's|this (morning|afternoon|evening)|tonight)\\b"
                    + "|\\bmy (inbox|calendar|e-?mails?|messages|account|balance|flight|package|parcel|order|reading list"
                    + "|shopping list|to-?do list|files|documents|photos|location|meetings?|appointments?)\\b", 1.2,
                    "live or personal data"),
            // writing from given text or for a practical purpose, not invention
            rule(TaskClass.GENERAL, "^(please\\s+|can you\\s+|could you\\s+)?(summari[sz]e|rewrite|reword|rephrase|proofread"
                    + "|(write|draft) (a|an|my)( short| polite| formal| friendly)? (e-?mail|reply|message|note|bio|summary"
                    + "|cover letter|complaint|review|resignation|agenda|invitation))\\b", 1.2, "a practical writing task"),
            rule(TaskClass.QUICK_RESPONSE, "^(hi|hello|hey|thanks|thank you|good (morning|evening)|ok|yes|no)\\b", 3,
                    "greeting"),
            rule(TaskClass.QUICK_RESPONSE, "^(what is|what's|who is|when (is|was|did)|where is|define|translate|"
                    + "how do you say|spell)\\b", 1.5, "simple question"));

    /** The evidence one strong cue gives (a code fence, a creative-writing noun): below it, confidence shrinks. */
    static final double STRONG = 2.5;

    private static Rule rule(TaskClass c, String regex, double weight, String evidence) {
        return new Rule(c, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.MULTILINE), weight, evidence);
    }

    @Override
    public Classification classify(ChatRequest request) {
        String text = lastUserText(request);
        List<String> evidence = new ArrayList<>();
        if (!request.tools().isEmpty()) {
            evidence.add(request.tools().size() + " tool" + (request.tools().size() == 1 ? "" : "s") + " present");
            return new Classification(TaskClass.TOOL_USE, complexity(request, text, 1), 0.95, evidence);
        }
        Map<TaskClass, Double> score = scores(text, evidence);
        TaskClass best = TaskClass.GENERAL;
        double top = 0, second = 0;
        for (var e : score.entrySet()) {
            if (e.getValue() > top) {
                second = top;
                top = e.getValue();
                best = e.getKey();
            } else if (e.getValue() > second) {
                second = e.getValue();
            }
        }
        if (top < 1.0) {
            best = TaskClass.GENERAL;
        }
        // the margin over the runner-up, scaled down when the winner rests on less than one strong cue (a fence, a
        // poem, two programming cues): a lone "bug" or "code" is a hint, not a certainty
        double confidence = top == 0 ? 0.3
                : Math.min(0.95, 0.5 + (top - second) / (2 * top)) * Math.min(1, top / STRONG);
        double complexity = complexity(request, text, best == TaskClass.DEEP_THINKING ? top : 0);
        return new Classification(best, complexity, confidence, evidence);
    }

    /** Each class's weighted evidence in a text (classes without any are absent); what was seen goes to evidence. */
    static Map<TaskClass, Double> scores(String text, List<String> evidence) {
        Map<TaskClass, Double> score = new EnumMap<>(TaskClass.class);
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(text);
            int hits = 0;
            while (m.find() && hits < 3) {
                hits++;
            }
            if (hits > 0) {
                score.merge(r.taskClass(), r.weight() * (1 + 0.25 * (hits - 1)), Double::sum);
                evidence.add(r.evidence() + (hits > 1 ? " x" + hits : ""));
            }
        }
        int questions = (int) text.chars().filter(ch -> ch == '?').count();
        if (questions >= 3) {
            score.merge(TaskClass.DEEP_THINKING, 1.0, Double::sum);
            evidence.add(questions + " questions");
        }
        if (text.length() > 600) {
            score.merge(TaskClass.DEEP_THINKING, 1.0, Double::sum);
            evidence.add("long message (" + text.length() + " chars)");
        }
        if (text.length() < 60 && score.getOrDefault(TaskClass.CODE, 0.0) < 2 && score.getOrDefault(TaskClass.MATH, 0.0) < 2
                && !score.containsKey(TaskClass.CREATIVE)) {
            // alone, shortness does not make a quick response ("Suggest an itinerary for Lisbon." is a general task);
            // a short question does
            score.merge(TaskClass.QUICK_RESPONSE, text.endsWith("?") ? 1.0 : 0.8, Double::sum);
            evidence.add("short message");
        }
        return score;
    }

    /** Length, questions, reasoning weight and conversation depth, folded into 0-1. */
    private static double complexity(ChatRequest request, String text, double reasoning) {
        double c = Math.min(1, text.length() / 2000.0) * 0.4
                + Math.min(1, text.chars().filter(ch -> ch == '?').count() / 4.0) * 0.15
                + Math.min(1, reasoning / 4.0) * 0.3
                + Math.min(1, request.messages().size() / 20.0) * 0.15;
        return Math.round(Math.min(1, c) * 1000) / 1000.0;
    }

    static String lastUserText(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            ChatMessage m = request.messages().get(i);
            if (m.role() == Role.USER) {
                return m.content().strip();
            }
        }
        return "";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
