package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streamed chat requests to the instances of a {@link Fleet}, each numbered ({@code "request N"} is its whole prompt, so
 * the fake vendor's record and the ledger's stored prompts say which request they were), and how each ended. Thread-safe.
 */
final class FleetRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CALL_ID = Pattern.compile("\"call_id\":\"([^\"]+)\"");
    private static final Pattern NUMBER = Pattern.compile("request (-?\\d+)");

    /**
     * How a request ended: BUDGET is a refusal before sending (the budget, or a ledger that cannot record the call's
     * spend); UNAVAILABLE a 503 because the ledger could not be read (the gate's key lookup, under the load's burst);
     * LOST no answer, or a stream cut before its end.
     */
    enum Kind { OK, RATE_LIMITED, BUDGET, UNAVAILABLE, LOST, OTHER }

    /** One request's end; {@code callId} is the ledger's id of an OK answer (named by the stream's last event). */
    record Answer(int n, int instance, Kind kind, int status, String callId, String body) {
        /** Let through by the rate limit: sent, or refused only after the gate, for the budget. */
        boolean admitted() {
            return kind == Kind.OK || kind == Kind.BUDGET;
        }
    }

    private final Fleet fleet;
    private final String model;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FleetRequests(Fleet fleet, String model) {
        this.fleet = fleet;
        this.model = model;
    }

    /** The number a prompt (or a request body) names, if it is one of these requests. */
    static OptionalInt number(String text) {
        Matcher m = text == null ? null : NUMBER.matcher(text);
        return m != null && m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    static long count(List<Answer> answers, Predicate<Answer> which) {
        return answers.stream().filter(which).count();
    }

    /** The first few answers of {@code kind}, for a failure's message. */
    static String some(List<Answer> answers, Predicate<Answer> which) {
        return answers.stream().filter(which).limit(3).map(a -> a.instance() + ": " + a.status() + " " + a.body())
                .toList().toString();
    }

    /** Sends request {@code n} to instance {@code instance} with the key {@code secret}; never throws for I/O. */
    Answer send(int instance, String secret, int n) throws InterruptedException {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":16,\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"request " + n + "\"}]}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(fleet.base(instance)
                    .resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                    .header("authorization", "Bearer " + secret).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Kind kind = kind(r);
            Matcher id = CALL_ID.matcher(r.body()); // a stream names its call in its last event
            if (kind == Kind.OK && !(r.body().contains("data: [DONE]") && id.find())) {
                kind = Kind.LOST; // cut mid-stream
            }
            return new Answer(n, instance, kind, r.statusCode(), kind == Kind.OK ? id.group(1) : null, r.body());
        } catch (IOException e) {
            return new Answer(n, instance, Kind.LOST, 0, null, e.toString());
        }
    }

    /** GET {@code path} of instance {@code instance} with the key {@code secret}; its body. */
    String get(int instance, String secret, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(fleet.base(instance).resolve(path))
                .timeout(Duration.ofSeconds(10)).header("authorization", "Bearer " + secret).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " of instance " + instance + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static Kind kind(HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return Kind.OK;
        }
        return switch (errorCode(r.body())) {
            case "rate_limit_exceeded" -> Kind.RATE_LIMITED;
            case "insufficient_quota" -> Kind.BUDGET; // the ledger refused the reservation
            case "route_rejected" -> r.body().contains("budget") ? Kind.BUDGET : Kind.OTHER; // the router saw it spent
            case "ledger_unavailable" -> Kind.UNAVAILABLE;
            default -> Kind.OTHER;
        };
    }

    private static String errorCode(String body) {
        try {
            return JSON.readTree(body).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
