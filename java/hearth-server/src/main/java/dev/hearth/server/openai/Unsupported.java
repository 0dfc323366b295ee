package dev.hearth.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one list of OpenAI parameters Hearth cannot honour, for every OpenAI route (chat completions, responses): each
 * is refused with a 400 naming it and saying what to send instead, never silently ignored. A parameter a route does
 * not take at all is refused by that route's list of fields; this list is for values Hearth cannot carry out.
 */
public final class Unsupported {
    /** One parameter: refused when present and {@code refused} holds for its value (never JSON null). */
    private record Rule(String field, Predicate<JsonNode> refused, String why) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("n", v -> !(v.isIntegralNumber() && v.asLong() == 1), "n must be 1: Hearth generates one"
                    + " choice per request; send n requests instead"),
            new Rule("logprobs", v -> !v.isBoolean() || v.booleanValue(), "logprobs are not supported by Hearth"
                    + " yet; leave logprobs and top_logprobs out"),
            new Rule("top_logprobs", v -> !(v.isIntegralNumber() && v.asLong() == 0), "logprobs are not supported"
                    + " by Hearth yet; leave logprobs and top_logprobs out"),
            new Rule("presence_penalty", v -> !(v.isNumber() && v.doubleValue() == 0), "presence_penalty is not"
                    + " supported by Hearth yet; leave it out or send 0"),
            new Rule("frequency_penalty", v -> !(v.isNumber() && v.doubleValue() == 0), "frequency_penalty is not"
                    + " supported by Hearth yet; leave it out or send 0"),
            new Rule("store", v -> !(v.isBoolean() && !v.booleanValue()), "store: true is not supported: Hearth"
                    + " keeps no answers (its ledger records usage, not content); leave store out or send false"),
            new Rule("audio", v -> true, "Hearth answers with text only; leave audio out"),
            new Rule("modalities", v -> !(v.isArray() && v.size() == 1 && "text".equals(v.get(0).asText())),
                    "Hearth answers with text only; leave modalities out or send [\"text\"]"),
            new Rule("previous_response_id", v -> true, "previous_response_id is not supported: Hearth is"
                    + " stateless and keeps no responses; send the whole conversation in input instead"),
            new Rule("conversation", v -> true, "conversation is not supported: Hearth is stateless and keeps no"
                    + " conversations; send the whole conversation in input instead"),
            new Rule("background", v -> !(v.isBoolean() && !v.booleanValue()), "background responses are not"
                    + " supported: Hearth keeps no responses to fetch later; leave background out and wait for the"
                    + " answer, or stream it"),
            new Rule("include", v -> !(v.isArray() && v.isEmpty()), "include is not supported: Hearth has no"
                    + " extra output to include; leave it out"));

    private Unsupported() {
    }

    /** Refuses the first parameter of {@code body} Hearth cannot honour, naming it. */
    public static void refuse(Fields body) {
        for (Rule r : RULES) {
            JsonNode v = body.get(r.field());
            if (v != null && r.refused().test(v)) {
                throw new BadRequest(body.at(r.field()), r.why());
            }
        }
    }
}
