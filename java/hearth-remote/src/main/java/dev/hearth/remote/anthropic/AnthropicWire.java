package dev.hearth.remote.anthropic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The Messages API's JSON, as records: what Hearth sends, and what it reads back (streamed or whole). */
public final class AnthropicWire {
    private AnthropicWire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessagesRequest(String model, @JsonProperty("max_tokens") int maxTokens, String system,
            List<Message> messages, List<ToolDefinition> tools, @JsonProperty("tool_choice") ToolChoice toolChoice,
            @JsonProperty("stop_sequences") List<String> stopSequences, Double temperature,
            @JsonProperty("top_p") Double topP, Boolean stream, Thinking thinking,
            @JsonProperty("output_config") OutputConfig outputConfig) {
    }

    /** Structured outputs: the answer's text is JSON that follows {@code format}'s schema. */
    public record OutputConfig(OutputFormat format) {
    }

    /** {@code type} is "json_schema". */
    public record OutputFormat(String type, JsonNode schema) {
    }

    public record Message(String role, List<Block> content) {
    }

    /** A content block Hearth sends. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(TextBlock.class), @JsonSubTypes.Type(ToolUseBlock.class),
            @JsonSubTypes.Type(ToolResultBlock.class), @JsonSubTypes.Type(ThinkingBlock.class)})
    public sealed interface Block permits TextBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock {
    }

    @JsonTypeName("text")
    public record TextBlock(String text) implements Block {
    }

    @JsonTypeName("tool_use")
    public record ToolUseBlock(String id, String name, JsonNode input) implements Block {
    }

    @JsonTypeName("tool_result")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolResultBlock(@JsonProperty("tool_use_id") String toolUseId, String content) implements Block {
    }

    @JsonTypeName("thinking")
    public record ThinkingBlock(String thinking, String signature) implements Block {
    }

    public record ToolDefinition(String name, String description, @JsonProperty("input_schema") JsonNode inputSchema) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolChoice(String type, String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Thinking(String type, @JsonProperty("budget_tokens") Integer budgetTokens) {
    }

    /** A whole answer, or the message of a stream's message_start. */
    public record MessagesResponse(String id, String model, List<ResponseBlock> content,
            @JsonProperty("stop_reason") String stopReason, Usage usage) {
    }

    /** A content block as read: every type's fields in one record, so that new block types do not break reading. */
    public record ResponseBlock(String type, String text, String thinking, String signature, String id, String name,
            JsonNode input) {
    }

    public record Usage(@JsonProperty("input_tokens") Long inputTokens, @JsonProperty("output_tokens") Long outputTokens,
            @JsonProperty("cache_creation_input_tokens") Long cacheCreationInputTokens,
            @JsonProperty("cache_read_input_tokens") Long cacheReadInputTokens) {
    }

    /** One streamed event: message_start, content_block_start/delta/stop, message_delta, message_stop, ping, error. */
    public record StreamEvent(String type, Integer index, MessagesResponse message,
            @JsonProperty("content_block") ResponseBlock contentBlock, Delta delta, Usage usage, JsonNode error) {
    }

    /** A delta: text_delta, thinking_delta, signature_delta, input_json_delta, or message_delta's stop reason. */
    public record Delta(String type, String text, String thinking, String signature,
            @JsonProperty("partial_json") String partialJson, @JsonProperty("stop_reason") String stopReason) {
    }
}
