package dev.hearth.llama;

import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import java.util.List;
import java.util.Objects;

/**
 * How to answer a chat.
 *
 * @param tools             tools the model may call
 * @param toolChoice        whether it may, must or must not call one, or which one it must call. llama.cpp knows no
 *                          named choice, so a named one is kept as what llama.cpp then runs: that tool alone, required
 * @param parallelToolCalls allow several calls in one answer
 * @param reasoning         let models that think out loud do so (enable_thinking); their reasoning is returned apart
 * @param jsonSchema        a JSON schema the answer must follow, or empty
 * @param lenientSchema     sample without the schema's keywords no grammar can enforce (the answer is still
 *                          validated); false refuses such a schema up front
 * @param templateOverride  a Jinja chat template to use instead of the model's, or empty
 * @param generation        token limits, stops and sampling
 */
public record ChatOptions(List<Tool> tools, ToolChoice toolChoice, boolean parallelToolCalls, boolean reasoning,
        String jsonSchema, boolean lenientSchema, String templateOverride, GenerationParams generation) {
    public ChatOptions {
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        jsonSchema = jsonSchema == null ? "" : jsonSchema;
        templateOverride = templateOverride == null ? "" : templateOverride;
        Objects.requireNonNull(generation, "generation");
        if (toolChoice instanceof ToolChoice.Named named) {
            tools = tools.stream().filter(t -> t.name().equals(named.name())).toList();
            if (tools.isEmpty()) {
                throw new IllegalArgumentException("the tool choice names " + named.name() + ", which is not among"
                        + " the tools; name one of them or choose auto, required or none");
            }
            toolChoice = ToolChoice.REQUIRED;
        }
        if (toolChoice instanceof ToolChoice.Required && tools.isEmpty()) {
            throw new IllegalArgumentException("toolChoice REQUIRED needs at least one tool");
        }
    }

    public static ChatOptions defaults() {
        return new ChatOptions(List.of(), ToolChoice.AUTO, false, true, "", false, "", GenerationParams.defaults());
    }

    public ChatOptions withTools(List<Tool> t, ToolChoice choice) {
        return new ChatOptions(t, choice, parallelToolCalls, reasoning, jsonSchema, lenientSchema, templateOverride, generation);
    }

    public ChatOptions withParallelToolCalls(boolean parallel) {
        return new ChatOptions(tools, toolChoice, parallel, reasoning, jsonSchema, lenientSchema, templateOverride, generation);
    }

    public ChatOptions withReasoning(boolean on) {
        return new ChatOptions(tools, toolChoice, parallelToolCalls, on, jsonSchema, lenientSchema, templateOverride, generation);
    }

    public ChatOptions withJsonSchema(String schema) {
        return withJsonSchema(schema, false);
    }

    /** A schema the answer must follow; {@code lenient} see {@link #lenientSchema()}. */
    public ChatOptions withJsonSchema(String schema, boolean lenient) {
        return new ChatOptions(tools, toolChoice, parallelToolCalls, reasoning, schema, lenient, templateOverride,
                generation);
    }

    public ChatOptions withTemplateOverride(String template) {
        return new ChatOptions(tools, toolChoice, parallelToolCalls, reasoning, jsonSchema, lenientSchema, template, generation);
    }

    public ChatOptions withGeneration(GenerationParams g) {
        return new ChatOptions(tools, toolChoice, parallelToolCalls, reasoning, jsonSchema, lenientSchema, templateOverride, g);
    }
}
