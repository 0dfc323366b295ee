package dev.hearth.remote.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Chat completions as records: the request Hearth sends and the answers (whole or streamed chunks) it reads. */
public final class OpenAiWire {
    private OpenAiWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChatCompletionRequest(String model, List<Message> messages, List<ToolDefinition> tools,
            @JsonProperty("tool_choice") JsonNode toolChoice, @JsonProperty("max_tokens") Integer maxTokens,
            @JsonProperty("max_completion_tokens") Integer maxCompletionTokens, Double temperature,
            @JsonProperty("top_p") Double topP, Long seed, List<String> stop,
            @JsonProperty("response_format") ResponseFormat responseFormat, Boolean stream,
            @JsonProperty("stream_options") StreamOptions streamOptions, Thinking thinking,
            @JsonProperty("reasoning_effort") String reasoningEffort) {
    }

    /** A message sent. {@code reasoningContent} only goes to DeepSeek, on assistant turns that called tools. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, String content, @JsonProperty("reasoning_content") String reasoningContent,
            @JsonProperty("tool_calls") List<ToolCall> toolCalls, @JsonProperty("tool_call_id") String toolCallId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCall(Integer index, String id, String type, Function function) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Function(String name, String arguments) {
    }

    public record ToolDefinition(String type, FunctionDefinition function) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDefinition(String name, String description, JsonNode parameters) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchema jsonSchema) {
    }

    public record JsonSchema(String name, JsonNode schema, boolean strict) {
    }

    public record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
    }

    /** DeepSeek's switch for thinking mode. */
    public record Thinking(String type) {
    }

    /** A whole answer, or one streamed chunk ({@code choices} may be empty or null in the usage chunk). */
    public record ChatCompletion(String id, String model, List<Choice> choices, Usage usage, JsonNode error) {
    }

    public record Choice(Integer index, ResponseMessage message, ResponseMessage delta,
            @JsonProperty("finish_reason") String finishReason) {
    }

    public record ResponseMessage(String role, String content, @JsonProperty("reasoning_content") String reasoningContent,
            @JsonProperty("tool_calls") List<ToolCall> toolCalls) {
    }

    public record Usage(@JsonProperty("prompt_tokens") Long promptTokens,
            @JsonProperty("completion_tokens") Long completionTokens,
            @JsonProperty("prompt_tokens_details") PromptDetails promptTokensDetails,
            @JsonProperty("completion_tokens_details") CompletionDetails completionTokensDetails,
            @JsonProperty("prompt_cache_hit_tokens") Long promptCacheHitTokens,
            @JsonProperty("prompt_cache_miss_tokens") Long promptCacheMissTokens) {
    }

    public record PromptDetails(@JsonProperty("cached_tokens") Long cachedTokens) {
    }

    public record CompletionDetails(@JsonProperty("reasoning_tokens") Long reasoningTokens) {
    }
}
