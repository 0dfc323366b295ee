package dev.hearth.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Output that must pass a validator, with a deterministic way out: a model's answer that fails is retried once with
 * the validation error in the prompt; then the next model of the decision's chain gets its turn; when every model has
 * failed, the fallback function answers. The result says which of them produced it.
 */
public final class StructuredOutput {
    /** Checks an answer: null when it is good, else what is wrong (this goes back to the model). */
    @FunctionalInterface
    public interface Validator {
        String problem(String output);

        /** Any JSON object. */
        static Validator jsonObject() {
            ObjectMapper json = new ObjectMapper();
            return output -> {
                try {
                    JsonNode n = json.readTree(output.strip());
                    return n != null && n.isObject() ? null : "the answer is JSON but not an object";
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    return "the answer is not valid JSON: " + e.getOriginalMessage();
                }
            };
        }
    }

    /**
     * The validated output and who produced it.
     *
     * @param output      the answer that passed (or the fallback's)
     * @param producedBy  the model's id, with " after a retry" when its second try passed, or "fallback function"
     * @param attempts    every failed attempt, as "model: problem"
     */
    public record Result(String output, String producedBy, List<String> attempts) {
        public Result {
            attempts = List.copyOf(attempts);
        }
    }

    private final FallbackChain chain;

    public StructuredOutput(FallbackChain chain) {
        this.chain = chain;
    }

    public Result run(ChatRequest request, RouteDecision decision, Validator validator, Supplier<String> fallback)
            throws InterruptedException {
        List<String> attempts = new ArrayList<>();
        if (!(decision instanceof RouteDecision.Reject)) {
            for (ModelProfile model : decision.chain()) {
                RouteDecision only = single(model, decision);
                ChatRequest ask = request;
                for (int attempt = 0; attempt < 2; attempt++) {
                    ChatResponse answer;
                    try {
                        answer = chain.execute(ask, only, null).response();
                    } catch (RuntimeException e) {
                        if (FallbackChain.canMoveOn(e) == null && !(e instanceof RouteRejectedException)) {
                            throw e;
                        }
                        attempts.add(model.id() + ": " + e.getMessage());
                        break;
                    }
                    String problem = validator.problem(answer.content());
                    if (problem == null) {
                        return new Result(answer.content(), model.id() + (attempt == 1 ? " after a retry" : ""), attempts);
                    }
                    attempts.add(model.id() + ": " + problem);
                    List<ChatMessage> again = new ArrayList<>(request.messages());
                    again.add(ChatMessage.assistant(answer.content()));
                    again.add(ChatMessage.user("That answer was rejected: " + problem + ". Answer again with only the"
                            + " corrected output, nothing else."));
                    ask = request.withMessages(again);
                }
            }
        }
        return new Result(fallback.get(), "fallback function", attempts);
    }

    private static RouteDecision single(ModelProfile model, RouteDecision decision) {
        String reason = "structured output: " + model.id();
        return model.local() ? new RouteDecision.Local(model, List.of(), reason, decision.classification(), 0)
                : new RouteDecision.Remote(model, List.of(), reason, decision.classification(), 0);
    }
}
