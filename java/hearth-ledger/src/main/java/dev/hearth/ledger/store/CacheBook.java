package dev.hearth.ledger.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.ledger.ResponseCache;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The response cache in the ledger's database ({@code response_cache}, schema version 6): the answer as JSON, its
 * embedding as base64 of little-endian floats, its cost in nano-dollars. A put is one transaction (replace, drop the
 * expired, evict the oldest past the bound), so instances sharing a PostgreSQL database keep one bound between them.
 */
final class CacheBook implements ResponseCache {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COLUMNS = "cache_key, similar_key, embedding, model, answer, cost_nanos, stored_at,"
            + " expires_at";

    private final Db db;
    private final int maxEntries;

    CacheBook(Db db, int maxEntries) {
        this.db = db;
        this.maxEntries = ResponseCache.checkBound(maxEntries);
    }

    @Override
    public Optional<Entry> get(String key, Instant now) {
        return db.read("read the response cache", c -> Sql.one(c, "SELECT " + COLUMNS + " FROM response_cache"
                + " WHERE cache_key = ? AND expires_at > ?", CacheBook::entry, key, now.toEpochMilli()));
    }

    @Override
    public List<Entry> similar(String similarKey, Instant now, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return db.read("read the response cache", c -> Sql.query(c, "SELECT " + COLUMNS + " FROM response_cache"
                + " WHERE similar_key = ? AND expires_at > ? ORDER BY stored_at DESC, cache_key DESC LIMIT ?",
                CacheBook::entry, similarKey, now.toEpochMilli(), limit));
    }

    @Override
    public void put(Entry e) {
        long at = e.storedAt().toEpochMilli();
        db.write("keep an answer in the response cache", c -> {
            Sql.update(c, "INSERT INTO response_cache (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (cache_key) DO UPDATE SET similar_key = excluded.similar_key,"
                    + " embedding = excluded.embedding, model = excluded.model, answer = excluded.answer,"
                    + " cost_nanos = excluded.cost_nanos, stored_at = excluded.stored_at,"
                    + " expires_at = excluded.expires_at", e.key(), Sql.text(e.similarKey()),
                    Sql.text(e.embedding() == null ? null : vector(e.embedding())), e.model(), answer(e.response()),
                    Money.nanos(e.costUsd()), at, e.expiresAt().toEpochMilli());
            Sql.update(c, "DELETE FROM response_cache WHERE expires_at <= ?", at);
            long kept = Sql.one(c, "SELECT COUNT(*) FROM response_cache", r -> r.getLong(1)).orElse(0L);
            if (kept > maxEntries) {
                // the newest maxEntries stay: everything older than the last of them goes
                Optional<Object[]> last = Sql.one(c, "SELECT stored_at, cache_key FROM response_cache"
                        + " ORDER BY stored_at DESC, cache_key DESC LIMIT 1 OFFSET ?",
                        r -> new Object[] {r.getLong(1), r.getString(2)}, maxEntries - 1);
                if (last.isPresent()) {
                    long lastAt = (Long) last.get()[0];
                    Sql.update(c, "DELETE FROM response_cache WHERE stored_at < ? OR (stored_at = ? AND cache_key < ?)",
                            lastAt, lastAt, last.get()[1]);
                }
            }
            return null;
        });
    }

    @Override
    public boolean remove(String key) {
        return db.write("forget an answer of the response cache", c -> Sql.update(c,
                "DELETE FROM response_cache WHERE cache_key = ?", key)) > 0;
    }

    @Override
    public int size() {
        return db.read("count the response cache", c -> Sql.one(c, "SELECT COUNT(*) FROM response_cache",
                r -> r.getInt(1)).orElse(0));
    }

    @Override
    public int clear() {
        return db.write("clear the response cache", c -> Sql.update(c, "DELETE FROM response_cache"));
    }

    @Override
    public String toString() {
        return "ResponseCache[" + db.describe() + ", at most " + maxEntries + "]";
    }

    private static Entry entry(ResultSet r) throws SQLException {
        String embedding = r.getString("embedding");
        return new Entry(r.getString("cache_key"), r.getString("similar_key"),
                embedding == null ? null : vector(embedding), response(r.getString("answer")), r.getString("model"),
                Money.usd(r.getLong("cost_nanos")), Instant.ofEpochMilli(r.getLong("stored_at")),
                Instant.ofEpochMilli(r.getLong("expires_at")));
    }

    static String vector(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] vector(String text) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    /** An answer as JSON: every field of {@link ChatResponse}, the stop reason by its name. */
    static String answer(ChatResponse a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", a.id()).put("model", a.model()).put("content", a.content()).put("reasoning", a.reasoning())
                .put("reasoning_signature", a.reasoningSignature()).put("stop_reason", a.stopReason().name())
                .put("raw_stop_reason", a.rawStopReason());
        ArrayNode calls = o.putArray("tool_calls");
        for (ToolCall t : a.toolCalls()) {
            calls.addObject().put("id", t.id()).put("name", t.name()).put("arguments", t.arguments());
        }
        Usage u = a.usage();
        o.putObject("usage").put("input", u.inputTokens()).put("output", u.outputTokens())
                .put("cache_read", u.cacheReadTokens()).put("cache_write", u.cacheWriteTokens())
                .put("reasoning", u.reasoningTokens());
        return o.toString();
    }

    static ChatResponse response(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cached answer is not JSON: " + e.getOriginalMessage(), e);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode t : o.path("tool_calls")) {
            calls.add(new ToolCall(t.path("id").asText(), t.path("name").asText(), t.path("arguments").asText()));
        }
        JsonNode u = o.path("usage");
        StopReason stop;
        try {
            stop = StopReason.valueOf(o.path("stop_reason").asText());
        } catch (IllegalArgumentException unknown) { // written by a newer Hearth
            stop = StopReason.OTHER;
        }
        return new ChatResponse(o.path("id").asText(), o.path("model").asText(), o.path("content").asText(),
                o.path("reasoning").asText(), o.path("reasoning_signature").asText(), calls, stop,
                o.path("raw_stop_reason").asText(), new Usage(u.path("input").asLong(), u.path("output").asLong(),
                        u.path("cache_read").asLong(), u.path("cache_write").asLong(), u.path("reasoning").asLong()));
    }
}
