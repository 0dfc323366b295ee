package dev.hearth.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.router.ModelProfile;
import dev.hearth.runtime.Hearth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /ready}: 200 when this server can answer, 503 (with what is wrong and what to do) when it cannot. Ready
 * means the ledger takes a write (a one-call prune in a write transaction; it only removes what the retention period
 * already dropped) and every configured local model's file is there and readable by an installed backend (read
 * without loading the weights). {@code /health} says only that the process answers. Thread-safe.
 */
final class Readiness {
    private final Hearth hearth;

    Readiness(Hearth hearth) {
        this.hearth = hearth;
    }

    /** The status to answer and the body that explains it. */
    record Verdict(int status, ObjectNode body) {
    }

    Verdict check() {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        ObjectNode checks = body.putObject("checks");
        List<String> problems = new ArrayList<>();
        try {
            hearth.ledger().prune(1);
            checks.put("ledger", "ok");
        } catch (RuntimeException e) {
            String why = "the ledger cannot be written: " + e.getMessage()
                    + "; check HEARTH_LEDGER_PATH or HEARTH_DATABASE_URL and the disk";
            checks.put("ledger", why);
            problems.add(why);
        }
        List<String> models = new ArrayList<>();
        for (ModelProfile p : hearth.router().registry().all()) {
            if (p.local()) {
                unloadable(p).ifPresent(models::add);
            }
        }
        checks.put("models", models.isEmpty() ? "ok" : String.join("; ", models));
        problems.addAll(models);
        body.put("status", problems.isEmpty() ? "ready" : "not_ready");
        return new Verdict(problems.isEmpty() ? 200 : 503, body);
    }

    private Optional<String> unloadable(ModelProfile p) {
        try {
            Path file = hearth.location(p.id());
            if (!Files.isReadable(file)) {
                return Optional.of(p.id() + ": " + file + " is missing or unreadable; pull it (bin/hearth models"
                        + " pull) or fix the path");
            }
            return hearth.unreadable(file).map(why -> p.id() + ": " + why);
        } catch (RuntimeException e) {
            return Optional.of(p.id() + ": " + e.getMessage());
        }
    }
}
