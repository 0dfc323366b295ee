package dev.hearth.remote;

/** One server-sent event: its name ("message" when the server gave none) and its data lines joined. */
record SseEvent(String event, String data) {
}
