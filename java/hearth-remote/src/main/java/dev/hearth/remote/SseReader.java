package dev.hearth.remote;

import java.io.IOException;

/**
 * Reads server-sent events from a streamed HTTP body: {@code event:} and {@code data:} fields, events ended by a
 * blank line, comments (": keep-alive") skipped, CRLF or LF line ends.
 */
final class SseReader {
    private final HttpCall call;

    SseReader(HttpCall call) {
        this.call = call;
    }

    /** The next event, or null when the body ends. */
    SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        for (String line = call.readLine(); line != null; line = call.readLine()) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event == null ? "message" : event, data.toString());
                }
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // id, retry: not used by these APIs
            }
        }
        return data == null ? null : new SseEvent(event == null ? "message" : event, data.toString());
    }
}
