package dev.hearth.remote;

import dev.hearth.remote.anthropic.AnthropicWire;
import java.io.IOException;

/** Anthropic's streamed events into an {@link Accumulator}. */
final class AnthropicStream {
    private static final com.fasterxml.jackson.databind.ObjectReader EVENTS =
            RemoteClient.JSON.readerFor(AnthropicWire.StreamEvent.class);

    private AnthropicStream() {
    }

    /** Handles one event; true at message_stop. */
    static boolean onEvent(String provider, SseEvent event, Accumulator acc) throws IOException {
        AnthropicWire.StreamEvent e = EVENTS.readValue(event.data());
        String type = e.type() == null ? event.event() : e.type();
        switch (type) {
            case "message_start" -> {
                if (e.message() != null) {
                    acc.id = e.message().id();
                    acc.model = e.message().model();
                    acc.usage = AnthropicClient.usage(e.message().usage(), acc.usage);
                }
            }
            case "content_block_start" -> {
                AnthropicWire.ResponseBlock b = e.contentBlock();
                int index = e.index() == null ? 0 : e.index();
                if (b != null) {
                    switch (b.type()) {
                        case "text" -> acc.content(b.text());
                        case "thinking" -> {
                            acc.reasoning(b.thinking());
                            acc.signature(b.signature());
                        }
                        case "tool_use" -> acc.toolCall(index, b.id(), b.name(),
                                b.input() == null || b.input().isEmpty() ? null : b.input().toString());
                        default -> { }
                    }
                }
            }
            case "content_block_delta" -> {
                AnthropicWire.Delta d = e.delta();
                int index = e.index() == null ? 0 : e.index();
                if (d != null && d.type() != null) {
                    switch (d.type()) {
                        case "text_delta" -> acc.content(d.text());
                        case "thinking_delta" -> acc.reasoning(d.thinking());
                        case "signature_delta" -> acc.signature(d.signature());
                        case "input_json_delta" -> acc.toolCall(index, null, null, d.partialJson());
                        default -> { }
                    }
                }
            }
            case "content_block_stop" -> acc.toolCallDone(e.index() == null ? 0 : e.index());
            case "message_delta" -> {
                if (e.delta() != null && e.delta().stopReason() != null) {
                    acc.rawStopReason = e.delta().stopReason();
                    acc.stopReason = AnthropicClient.stopReason(e.delta().stopReason());
                }
                acc.usage = AnthropicClient.usage(e.usage(), acc.usage); // cumulative: replaces, never adds
            }
            case "message_stop" -> {
                return true;
            }
            case "error" -> throw ErrorMapper.fromStreamError(provider, e.error() == null
                    ? RemoteClient.JSON.createObjectNode() : e.error());
            default -> { } // ping, and event types added later
        }
        return false;
    }
}
