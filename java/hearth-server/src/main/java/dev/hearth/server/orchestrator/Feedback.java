package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.ledger.Ledger;
import dev.hearth.server.openai.BadRequest;

/** {@code POST /v1/hearth/feedback}: {@code {"request_id", "score": 1-5, "note"}} scores a call in the ledger. */
public final class Feedback {
    private Feedback() {
    }

    public static ObjectNode record(Ledger ledger, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequest(null, "send a JSON object: {\"request_id\": \"<x-hearth-call-id>\", \"score\": 1-5,"
                    + " \"note\": \"...\"}");
        }
        JsonNode id = body.path("request_id");
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new BadRequest("request_id", "request_id is required: the call id a response's x-hearth-call-id"
                    + " header (or hearth.call_id field) gave");
        }
        JsonNode score = body.path("score");
        if (!score.isIntegralNumber() || score.asInt() < 1 || score.asInt() > 5) {
            throw new BadRequest("score", "score must be a whole number from 1 (bad) to 5 (excellent); got " + score);
        }
        JsonNode note = body.path("note");
        if (!note.isMissingNode() && !note.isNull() && !note.isTextual()) {
            throw new BadRequest("note", "note must be a string, or left out");
        }
        String callId = id.asText().strip();
        if (ledger.call(callId).isEmpty()) {
            throw new BadRequest(404, "request_id", "call_not_found", "no call " + callId + " in the ledger; score a"
                    + " call id a response gave (GET /v1/hearth/calls lists the recent ones)");
        }
        ledger.feedback(callId, score.asInt(), note.isTextual() ? note.asText() : null);
        return JsonNodeFactory.instance.objectNode().put("request_id", callId).put("score", score.asInt())
                .put("recorded", true);
    }
}
