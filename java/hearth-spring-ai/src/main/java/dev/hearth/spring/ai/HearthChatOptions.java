package dev.hearth.spring.ai;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI's chat options for Hearth: the portable ones (model, max tokens, temperature, top p, stop sequences), the
 * tool callbacks {@code ChatClient} adds, the JSON schema it sets for {@code entity(..)} with
 * {@code useProviderStructuredOutput()}, and Hearth's own: {@code toolChoice} ({@code auto}, {@code required},
 * {@code none} or a tool's name) and {@code seed}. The model is a Hearth model spec ({@code auto} lets the router
 * decide; a model id, a cache name, a file or {@code PROVIDER:MODEL} is the caller's choice). Immutable once built.
 */
public class HearthChatOptions extends DefaultToolCallingChatOptions implements StructuredOutputChatOptions {
    private final String toolChoice;
    private final Long seed;
    private final String outputSchema;

    protected HearthChatOptions(List<ToolCallback> toolCallbacks, Map<String, Object> toolContext, String model,
            Double frequencyPenalty, Integer maxTokens, Double presencePenalty, List<String> stopSequences,
            Double temperature, Integer topK, Double topP, String toolChoice, Long seed, String outputSchema) {
        super(toolCallbacks, toolContext, model, frequencyPenalty, maxTokens, presencePenalty, stopSequences,
                temperature, topK, topP);
        this.toolChoice = toolChoice;
        this.seed = seed;
        this.outputSchema = outputSchema;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code auto}, {@code required}, {@code none} or a tool's name; null: auto. */
    public String getToolChoice() {
        return toolChoice;
    }

    /** The random draw's seed; null: the backend's own. */
    public Long getSeed() {
        return seed;
    }

    @Override
    public String getOutputSchema() {
        return outputSchema;
    }

    @Override
    public Builder mutate() {
        Builder b = builder().model(getModel()).frequencyPenalty(getFrequencyPenalty()).maxTokens(getMaxTokens())
                .presencePenalty(getPresencePenalty()).temperature(getTemperature()).topK(getTopK()).topP(getTopP())
                .toolChoice(toolChoice).seed(seed).outputSchema(outputSchema);
        if (getStopSequences() != null) {
            b.stopSequences(getStopSequences());
        }
        if (getToolCallbacks() != null) {
            b.toolCallbacks(getToolCallbacks());
        }
        if (getToolContext() != null) {
            b.toolContext(getToolContext());
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HearthChatOptions other && super.equals(o) && Objects.equals(toolChoice, other.toolChoice)
                && Objects.equals(seed, other.seed) && Objects.equals(outputSchema, other.outputSchema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), toolChoice, seed, outputSchema);
    }

    /** Builds {@link HearthChatOptions}; {@link #combineWith} lays another builder's values over this one's. */
    public static class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
            implements StructuredOutputChatOptions.Builder<Builder> {
        private String toolChoice;
        private Long seed;
        private String outputSchema;

        public Builder toolChoice(String choice) {
            this.toolChoice = choice;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public Builder outputSchema(String schema) {
            this.outputSchema = schema;
            return this;
        }

        @Override
        public Builder combineWith(ChatOptions.Builder<?> other) {
            super.combineWith(other);
            if (other instanceof Builder h) {
                toolChoice = h.toolChoice != null ? h.toolChoice : toolChoice;
                seed = h.seed != null ? h.seed : seed;
                outputSchema = h.outputSchema != null ? h.outputSchema : outputSchema;
            }
            return this;
        }

        @Override
        public HearthChatOptions build() {
            return new HearthChatOptions(toolCallbacks, toolContext, model, frequencyPenalty, maxTokens,
                    presencePenalty, stopSequences, temperature, topK, topP, toolChoice, seed, outputSchema);
        }
    }
}
