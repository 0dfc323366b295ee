package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.ChatRequest;
import dev.hearth.ledger.SpendJson;
import dev.hearth.ledger.SpendReport;
import dev.hearth.router.RouteDecision;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.ChatCompletionRequest;
import dev.hearth.server.orchestrator.Capabilities;
import dev.hearth.server.orchestrator.CallsJson;
import dev.hearth.server.orchestrator.Decisions;
import dev.hearth.server.orchestrator.Estimates;
import dev.hearth.server.orchestrator.Feedback;
import dev.hearth.server.orchestrator.HostState;
import dev.hearth.server.orchestrator.Prefixes;
import dev.hearth.server.orchestrator.Stats;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The orchestrator API under {@code /v1/hearth/}: each route reads its parameters and hands them to a function of
 * {@link dev.hearth.server.orchestrator}; errors come back in OpenAI's shape.
 */
final class OrchestratorRoutes {
    private interface Answer {
        JsonNode get() throws Exception;
    }

    private final Hearth hearth;
    private final long maxBodyBytes;
    private final ModelNames models;

    OrchestratorRoutes(Hearth hearth, long maxBodyBytes) {
        this.hearth = hearth;
        this.maxBodyBytes = maxBodyBytes;
        this.models = new ModelNames(hearth);
    }

    /** Adds the routes to {@code routing}. */
    HttpRouting.Builder register(HttpRouting.Builder routing) {
        return routing
                .get("/v1/hearth/capabilities", (req, res) -> answer(res, () -> Capabilities.of(hearth, Instant.now())))
                .post("/v1/hearth/estimate-cost", (req, res) -> answer(res, () -> Estimates.estimate(hearth,
                        JsonBodies.read(req, maxBodyBytes), Instant.now())))
                .get("/v1/hearth/recommendations/{task}", (req, res) -> answer(res, () -> Capabilities
                        .recommendations(hearth, req.path().pathParameters().get("task"))))
                .get("/v1/hearth/spend", (req, res) -> answer(res, () -> spend(req)))
                .post("/v1/hearth/route", (req, res) -> answer(res, () -> route(req)))
                .post("/v1/hearth/feedback", (req, res) -> answer(res, () -> Feedback.record(recorded(),
                        JsonBodies.read(req, maxBodyBytes))))
                .get("/v1/hearth/calls", (req, res) -> answer(res, () -> CallsJson.recent(recorded(),
                        query(req, "last"))))
                .get("/v1/hearth/calls/{id}", (req, res) -> answer(res, () -> CallsJson.one(recorded(),
                        req.path().pathParameters().get("id"))))
                .get("/v1/hearth/stats", (req, res) -> answer(res, () -> Stats.of(recorded(),
                        query(req, "minutes"), Instant.now())))
                .get("/v1/hearth/host", (req, res) -> answer(res, () -> HostState.of(hearth, Instant.now())))
                .get("/v1/hearth/prefixes", (req, res) -> answer(res, () -> Prefixes.of(hearth)))
                .delete("/v1/hearth/locks/{session}", (req, res) -> answer(res, () -> released(
                        req.path().pathParameters().get("session"))));
    }

    /** The ledger once every call answered so far is in it (their ends are written off the request path). */
    private dev.hearth.ledger.Ledger recorded() throws InterruptedException {
        hearth.flushCalls();
        return hearth.ledger();
    }

    private JsonNode spend(ServerRequest req) throws InterruptedException {
        String month = query(req, "month");
        YearMonth which;
        try {
            which = month == null ? YearMonth.now(ZoneOffset.UTC) : YearMonth.parse(month.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequest("month", "month takes YYYY-MM, e.g. 2026-11; got '" + month + "'");
        }
        String by = query(req, "by");
        SpendReport.GroupBy groupBy;
        try {
            groupBy = SpendReport.GroupBy.parse(by == null ? "model" : by);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("by", e.getMessage());
        }
        return SpendJson.of(recorded().spend(which, groupBy));
    }

    private JsonNode route(ServerRequest req) throws Exception {
        ChatCompletionRequest call = ChatCompletionRequest.read(JsonBodies.read(req, maxBodyBytes));
        ChatRequest request = call.request().withModel(models.resolve(call.request().model()));
        RouteDecision d = hearth.explain(request, ServedCalls.routeOptions(req)); // a preset's or a lock's too
        var out = Decisions.json(d);
        out.put("strategy", hearth.router().config().strategy());
        out.put("external_allowed", hearth.router().config().allowExternal());
        return out;
    }

    /** Releases a conversation's model lock (x-hearth-session); says whether it had one. */
    private JsonNode released(String session) {
        var out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        out.put("session", session);
        out.put("released", hearth.releaseLock(session));
        return out;
    }

    private static String query(ServerRequest req, String name) {
        return req.query().first(name).asOptional().orElse(null);
    }

    private static void answer(ServerResponse res, Answer answer) {
        try {
            Replies.json(res, 200, answer.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Replies.error(res, e);
        } catch (Exception | LinkageError e) {
            Replies.error(res, e);
        }
    }
}
