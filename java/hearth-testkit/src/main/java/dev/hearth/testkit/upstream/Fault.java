package dev.hearth.testkit.upstream;

import java.time.Duration;
import java.util.Map;

/** A way a fake upstream fails, as real vendors do. */
public sealed interface Fault {
    /** An error status with headers and the vendor's error body (e.g. 429 with retry-after, 529, 500, 401, 402). */
    record Status(int status, Map<String, String> headers, String type, String message) implements Fault {
        public Status {
            headers = Map.copyOf(headers);
        }
    }

    /** The first token comes only after this long (headers are sent at once). */
    record SlowFirstToken(Duration delay) implements Fault {
    }

    /** After this many streamed deltas, nothing more: the connection stays open and silent. */
    record StallAfter(int deltas) implements Fault {
    }

    /** After this many streamed deltas, the connection is reset (TCP RST). */
    record ResetAfter(int deltas) implements Fault {
    }

    /** The connection is reset before any response. */
    record ResetBeforeResponse() implements Fault {
    }

    /** After this many streamed deltas, an event whose data is not JSON. */
    record MalformedAfter(int deltas) implements Fault {
    }

    /** After this many streamed deltas, an error event inside the 200 stream (e.g. overloaded_error). */
    record ErrorEventAfter(int deltas, String type, String message) implements Fault {
    }

    static Fault status(int status, String type, String message) {
        return new Status(status, Map.of(), type, message);
    }

    /** 429 with one wait header, e.g. ("retry-after", "2") or ("retry-after-ms", "1500"). */
    static Fault rateLimited(String header, String value) {
        return new Status(429, Map.of(header, value), "rate_limit_error", "rate limited");
    }
}
