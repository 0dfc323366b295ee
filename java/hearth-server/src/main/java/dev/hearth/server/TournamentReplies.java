package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatRequest;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.router.FallbackChain;
import dev.hearth.runtime.Hearth;
import dev.hearth.runtime.Tournament;
import dev.hearth.runtime.TournamentOptions;
import dev.hearth.runtime.TournamentResult;
import dev.hearth.server.openai.ApiError;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Completions;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chat completions answered by a tournament: {@code model: "tournament"} (options in the body's
 * {@code hearth_tournament} object: {@code models}, {@code n}, {@code until_agree}, {@code threshold}), or a request
 * hearth.toml's {@code [tournament]} marks critical. Each model is checked against the request's key before any is
 * asked; the reply is the chosen candidate's completion plus a {@code hearth_tournament} field (verdict, agreement, candidates).
 * A tournament answers in one piece. Thread-safe.
 */
final class TournamentReplies {
    /** The model name that asks for a tournament. */
    static final String MODEL = "tournament";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Hearth hearth;
    private final ServedCalls calls;

    TournamentReplies(Hearth hearth, ServedCalls calls) {
        this.hearth = hearth;
        this.calls = calls;
    }

    /** The tournament {@code body} asks for (named, or by hearth.toml for a critical request); empty: none. */
    Optional<TournamentOptions> asked(JsonNode body, ChatRequest request) {
        if (!MODEL.equals(request.model())) {
            return new Tournament(hearth).configured(request);
        }
        JsonNode o = body.path("hearth_tournament");
        List<String> models = new ArrayList<>();
        o.path("models").forEach(m -> models.add(m.asText()));
        TournamentOptions d = TournamentOptions.defaults();
        return Optional.of(new TournamentOptions(models, o.path("n").asInt(d.n()), o.path("until_agree").asInt(0),
                o.path("threshold").asDouble(d.threshold())));
    }

    void answer(ServerRequest req, ServerResponse res, ChatRequest request, TournamentOptions options,
            boolean stream) throws InterruptedException {
        if (stream) {
            throw new BadRequest(400, "stream", "invalid_request", "a tournament answers in one piece, once every"
                    + " model has; send \"stream\": false");
        }
        ChatRequest ask = request.withModel("auto");
        Tournament tournament = new Tournament(hearth);
        List<String> models = tournament.plan(ask, options);
        for (String m : models) {
            calls.decide(req, m, ask.withModel(m)); // a model this key may not use refuses the whole tournament
        }
        TournamentResult r = tournament.run(ask, options.withModels(models), EntryPoint.HTTP,
                Access.of(req).caller());
        ObjectNode extension = JSON.valueToTree(r.toMap());
        TournamentResult.Candidate winner = r.winner().orElse(null);
        if (winner == null) {
            ObjectNode body = (ObjectNode) Wire.OPENAI.body(new ApiError(502, "server_error", "tournament_failed",
                    "no model of the tournament answered: " + String.join("; ", r.candidates().stream()
                    .map(c -> c.model() + ": " + c.error()).toList()) + "; try again, or name other models"));
            body.set("hearth_tournament", extension);
            Replies.json(res, 502, body);
            return;
        }
        FallbackChain.Routed routed = winner.routed();
        calls.headers(routed).forEach(res::header);
        res.header("x-hearth-tournament", r.verdict().label());
        String callId = routed.callId();
        String id = "chatcmpl-" + (callId == null || callId.isEmpty()
                ? java.util.UUID.randomUUID().toString().replace("-", "") : callId);
        ObjectNode completion = Completions.completion(routed.response(), new Completions.Answered(id,
                routed.answeredBy().id(), routed.answeredBy().local(), callId, Instant.now().getEpochSecond()));
        completion.set("hearth_tournament", extension);
        Replies.json(res, 200, completion);
    }
}
