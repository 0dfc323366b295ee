package dev.hearth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.Ledger;
import dev.hearth.router.ModelProfile;
import dev.hearth.runtime.Hearth;
import dev.hearth.server.openai.ApiError;
import dev.hearth.server.openai.BadRequest;
import dev.hearth.server.openai.Fields;
import dev.hearth.server.openai.Refusal;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API under {@code /v1/hearth/admin/}: keys (create, list, update, revoke), budgets (list, set, remove),
 * models (list, load now, unload now, pull with progress lines, remove, scan for models: {@code POST models/scan}), circuits and health, the effective
 * configuration with secrets masked, and the trail of changes. A key needs the admin scope ({@code keys create
 * --admin}); while the ledger holds no key the server listens on loopback only and these routes are open. Every change
 * is recorded in the ledger's admin trail with who made it. Errors in OpenAI's shape.
 */
final class AdminRoutes {
    static final String BASE = "/v1/hearth/admin";
    private final Hearth hearth;
    private final KeyRing keyRing;
    private final OllamaModelsRoute pulls;
    private final long maxBodyBytes;

    AdminRoutes(Hearth hearth, KeyRing keyRing, OllamaModelsRoute pulls, long maxBodyBytes) {
        this.hearth = hearth;
        this.keyRing = keyRing;
        this.pulls = pulls;
        this.maxBodyBytes = maxBodyBytes;
    }

    @FunctionalInterface
    private interface Action {
        JsonNode run(ServerRequest req, String actor) throws Exception;
    }

    void register(HttpRules rules) {
        rules.get(BASE + "/keys", admin((req, who) -> AdminWire.keys(ledger().keys().list())))
                .post(BASE + "/keys", admin(this::createKey))
                .patch(BASE + "/keys/{name}", admin(this::updateKey))
                .delete(BASE + "/keys/{name}", admin(this::revokeKey))
                .get(BASE + "/budgets", admin((req, who) -> AdminWire.budgets(ledger().budgets())))
                .put(BASE + "/budgets", admin(this::setBudget))
                .delete(BASE + "/budgets", admin(this::removeBudget))
                .get(BASE + "/models", admin((req, who) -> AdminWire.models(hearth)))
                .post(BASE + "/models/pull", (req, res) -> {
                    if (allowed(req, res) != null) {
                        pulls.pull(req, res); // progress as Ollama's pull lines
                    }
                })
                .post(BASE + "/models/scan", admin(this::scan))
                .post(BASE + "/models/{id}/load", admin((req, who) -> model(req, who, true)))
                .post(BASE + "/models/{id}/unload", admin((req, who) -> model(req, who, false)))
                .delete(BASE + "/models/{id}", admin(this::removeModel))
                .get(BASE + "/health", admin((req, who) -> AdminWire.health(hearth)))
                .get(BASE + "/config", admin((req, who) -> AdminWire.config(hearth.configuration())))
                .get(BASE + "/trail", admin((req, who) -> AdminWire.trail(ledger().adminEvents(limit(req)))));
    }

    /**
     * Who may use the admin API for this request: the key's name, or {@code loopback} on an open server; null after
     * answering 403 for a key without the admin scope.
     */
    static String allowed(ServerRequest req, ServerResponse res) {
        Access access = Access.of(req);
        if (access.key() == null) {
            return "loopback";
        }
        if (!access.key().admin()) {
            Replies.error(res, new Refusal(new ApiError(403, "permission_error", "admin_scope_required", null,
                    "the API key '" + access.key().name() + "' has no admin scope; use a key created with bin/hearth"
                    + " keys create NAME --admin", null)), Wire.of(req.path().path()));
            return null;
        }
        return access.key().name();
    }

    private io.helidon.webserver.http.Handler admin(Action action) {
        return (req, res) -> {
            String actor = allowed(req, res);
            if (actor == null) {
                return;
            }
            try {
                JsonNode body = action.run(req, actor);
                Replies.json(res, req.prologue().method().text().equals("POST")
                        && req.path().path().equals(BASE + "/keys") ? 201 : 200, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Replies.error(res, e);
            } catch (Exception | LinkageError e) {
                Replies.error(res, e);
            }
        };
    }

    private Ledger ledger() {
        return hearth.ledger();
    }

    private Fields body(ServerRequest req) throws java.io.IOException {
        return Fields.of(JsonBodies.read(req, maxBodyBytes), "");
    }

    private JsonNode createKey(ServerRequest req, String actor) throws java.io.IOException {
        Fields f = body(req);
        f.only(Set.of("name", "monthly_usd", "rpm", "tpm", "models", "allow_external", "admin"), "a key");
        ApiKeys.KeySpec spec = spec(f, f.requiredString("name"), ApiKeys.KeySpec.named(f.requiredString("name")));
        ApiKeys.CreatedKey created = ledger().keys().create(spec);
        keyRing.forget();
        ledger().adminEvent(actor, "hearth.admin.key.create", Map.of("hearth.key", spec.name()));
        return AdminWire.key(created.key()).put("secret", created.secret());
    }

    private JsonNode updateKey(ServerRequest req, String actor) throws java.io.IOException {
        String name = req.path().pathParameters().get("name");
        ApiKeys.ApiKey current = ledger().keys().list().stream().filter(k -> k.name().equals(name) && !k.revoked())
                .findFirst().orElseThrow(() -> new BadRequest(404, "name", "key_not_found", "no valid API key is"
                        + " named '" + name + "'; GET " + BASE + "/keys lists them"));
        Fields f = body(req);
        f.only(Set.of("monthly_usd", "rpm", "tpm", "models", "allow_external", "admin"), "a key's changes");
        ApiKeys.ApiKey updated = ledger().keys().update(spec(f, name, current.spec()));
        keyRing.forget();
        ledger().adminEvent(actor, "hearth.admin.key.update", Map.of("hearth.key", name, "hearth.changed",
                String.join(",", fieldNames(f))));
        return AdminWire.key(updated);
    }

    private JsonNode revokeKey(ServerRequest req, String actor) {
        String name = req.path().pathParameters().get("name");
        ApiKeys.ApiKey revoked = ledger().keys().revoke(name);
        keyRing.forget(); // at once, not within the gate's few seconds
        ledger().adminEvent(actor, "hearth.admin.key.revoke", Map.of("hearth.key", name));
        return AdminWire.key(revoked);
    }

    /** {@code base} with the fields the body gives; {@code null} clears a budget or a limit. */
    private static ApiKeys.KeySpec spec(Fields f, String name, ApiKeys.KeySpec base) {
        BigDecimal usd = f.has("monthly_usd") ? (f.get("monthly_usd").isNull() ? null : decimal(f, "monthly_usd"))
                : base.monthlyUsd();
        Integer rpm = f.has("rpm") ? whole(f, "rpm") : base.rpm();
        Integer tpm = f.has("tpm") ? whole(f, "tpm") : base.tpm();
        List<String> models = base.allowedModels();
        if (f.has("models")) {
            models = new ArrayList<>();
            for (JsonNode m : f.array("models")) {
                if (!m.isTextual()) {
                    throw new BadRequest("models", "models is a list of model names");
                }
                models.add(m.asText());
            }
        }
        boolean external = f.has("allow_external") ? f.bool("allow_external") : base.allowExternal();
        boolean admin = f.has("admin") ? f.bool("admin") : base.admin();
        try {
            return new ApiKeys.KeySpec(name, usd, rpm, tpm, models, external, admin);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(null, e.getMessage());
        }
    }

    private JsonNode setBudget(ServerRequest req, String actor) throws java.io.IOException {
        Fields f = body(req);
        f.only(Set.of("scope", "period", "limit_usd", "soft_usd"), "a budget");
        Budget b;
        try {
            b = new Budget(Budget.Scope.parse(f.requiredString("scope")), period(f.string("period")),
                    decimal(f, "limit_usd"), f.has("soft_usd") ? decimal(f, "soft_usd") : null);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("scope", e.getMessage());
        }
        ledger().setBudget(b);
        ledger().adminEvent(actor, "hearth.admin.budget.set", Map.of("hearth.budget", b.scope() + " per "
                + b.period().label(), "hearth.limit_usd", b.limitUsd().toPlainString()));
        return AdminWire.budgets(ledger().budgets());
    }

    private JsonNode removeBudget(ServerRequest req, String actor) {
        String scope = req.query().first("scope").orElseThrow(() -> new BadRequest("scope", "scope is required:"
                + " ?scope=global or ?scope=provider:NAME (key:, agent:, model: likewise)"));
        Budget.Scope s;
        Budget.Period p;
        try {
            s = Budget.Scope.parse(scope);
            p = period(req.query().first("period").orElse(null));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("scope", e.getMessage());
        }
        if (!ledger().removeBudget(s, p)) {
            throw new BadRequest(404, "scope", "budget_not_found", "there is no " + s + " budget per " + p.label());
        }
        ledger().adminEvent(actor, "hearth.admin.budget.remove", Map.of("hearth.budget", s + " per " + p.label()));
        return AdminWire.budgets(ledger().budgets());
    }

    private JsonNode model(ServerRequest req, String actor, boolean load) throws InterruptedException {
        String id = req.path().pathParameters().get("id");
        ModelProfile p = hearth.router().registry().find(id).filter(ModelProfile::local).orElseThrow(() ->
                new BadRequest(404, "model", "model_not_found", id + " is not a local model here; GET " + BASE
                        + "/models lists them"));
        if (load) {
            hearth.load(p.id());
        } else {
            hearth.unload(p.id());
        }
        ledger().adminEvent(actor, load ? "hearth.admin.model.load" : "hearth.admin.model.unload",
                Map.of("gen_ai.request.model", p.id()));
        return AdminWire.models(hearth);
    }

    /** Looks for models now (the cache, [discovery] folders and servers): what was found, and what was skipped. */
    private JsonNode scan(ServerRequest req, String actor) throws InterruptedException {
        var scan = hearth.discovery().scan();
        ledger().adminEvent(actor, "hearth.admin.model.scan", Map.of("hearth.models.found",
                Integer.toString(scan.models().size()), "hearth.models.skipped", Integer.toString(scan.skipped().size())));
        return AdminWire.scan(scan);
    }

    private JsonNode removeModel(ServerRequest req, String actor) throws Exception {
        String name = req.path().pathParameters().get("id");
        if (!hearth.removeModel(name)) {
            throw new BadRequest(404, "model", "model_not_found", "the model cache has no model " + name);
        }
        ledger().adminEvent(actor, "hearth.admin.model.remove", Map.of("gen_ai.request.model", name));
        return AdminWire.models(hearth);
    }

    private static int limit(ServerRequest req) {
        String last = req.query().first("last").orElse("50");
        try {
            int n = Integer.parseInt(last);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadRequest("last", "last is a whole number from 1 to 1000, not " + last);
    }

    private static Budget.Period period(String text) {
        try {
            return Budget.Period.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("period", e.getMessage());
        }
    }

    private static BigDecimal decimal(Fields f, String field) {
        JsonNode v = f.get(field);
        if (v == null || !v.isNumber() || v.decimalValue().signum() < 0) {
            throw new BadRequest(field, field + " must be a number of US dollars, 0 or more");
        }
        return v.decimalValue();
    }

    private static Integer whole(Fields f, String field) {
        JsonNode v = f.get(field);
        if (v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() <= 0) {
            throw new BadRequest(field, field + " must be a positive whole number, or null for no limit");
        }
        return v.intValue();
    }

    private static List<String> fieldNames(Fields f) {
        List<String> out = new ArrayList<>();
        f.node().fieldNames().forEachRemaining(out::add);
        return out;
    }
}
