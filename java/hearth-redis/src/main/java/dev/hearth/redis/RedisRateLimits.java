package dev.hearth.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * {@link RateLimits} in Redis, shared by every instance that names the same server: each key's two buckets are hashes
 * ({@code level}, {@code at}, {@code per}) that one Lua script reads, refills and takes from, atomically where they are
 * stored (Redis runs one script at a time), on Redis's clock ({@code TIME}), so instances with skewed clocks agree.
 * A bucket expires once it would have refilled, so idle keys cost nothing. Throws {@link
 * redis.clients.jedis.exceptions.JedisException} when Redis cannot be reached; {@link FallbackRateLimits} catches it.
 * Thread-safe: a pool of connections.
 */
final class RedisRateLimits implements RateLimits {
    /** The bucket helpers both scripts share: microseconds from Redis's clock, a minute's refill, expiry. */
    private static final String BUCKETS = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local MINUTE = 60000000
            local function level(key, per)
              local v = redis.call('HMGET', key, 'level', 'at', 'per')
              local lvl, at = tonumber(v[1]), tonumber(v[2])
              if lvl == nil or tonumber(v[3]) ~= per then return per end -- new, or a changed limit: a full bucket
              if now > at then lvl = math.min(per, lvl + (now - at) * per / MINUTE) end
              return lvl
            end
            local function store(key, per, lvl)
              redis.call('HSET', key, 'level', string.format('%.6f', lvl), 'at', string.format('%d', now), 'per', per)
              redis.call('PEXPIRE', key, math.ceil((per - lvl) * 60000 / per) + 1000)
            end
            local function wait(missing, per)
              return math.max(1, math.ceil(missing * MINUTE / per))
            end
            """;
    /** KEYS: tokens bucket, requests bucket; ARGV: tpm, rpm (0: no limit). Answers {0, 0} or {1 requests | 2 tokens, µs}. */
    private static final String ADMIT = BUCKETS + """
            local tpm, rpm = tonumber(ARGV[1]), tonumber(ARGV[2])
            if tpm > 0 then
              local lvl = level(KEYS[1], tpm)
              if lvl < 1 then return {2, wait(1 - lvl, tpm)} end
            end
            if rpm > 0 then
              local lvl = level(KEYS[2], rpm)
              if lvl < 1 then return {1, wait(1 - lvl, rpm)} end
              store(KEYS[2], rpm, lvl - 1)
            end
            return {0, 0}
            """;
    /** KEYS: tokens bucket; ARGV: tpm, tokens used. */
    private static final String SPEND = BUCKETS + """
            local tpm = tonumber(ARGV[1])
            store(KEYS[1], tpm, level(KEYS[1], tpm) - tonumber(ARGV[2]))
            return 0
            """;
    /** A dead server refuses at once; these bound a hung one, or one slowed by a machine under load. */
    private static final int CONNECT_MILLIS = 1000;
    private static final int READ_MILLIS = 2000;
    /** A request waits this long for a free connection before it counts as Redis being unreachable. */
    private static final Duration POOL_WAIT = Duration.ofSeconds(5);

    private final JedisPooled redis;
    private final String where;
    private final Script admit;
    private final Script spend;

    RedisRateLimits(JedisPooled redis, String where) {
        this.redis = redis;
        this.where = where;
        this.admit = new Script(ADMIT);
        this.spend = new Script(SPEND);
    }

    /** A pool to the server {@code url} names; connects on first use. */
    static RedisRateLimits connect(String url) {
        URI uri = parse(url);
        HostAndPort at = JedisURIHelper.getHostAndPort(uri);
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_MILLIS).socketTimeoutMillis(READ_MILLIS)
                .database(JedisURIHelper.getDBIndex(uri)).ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .clientName("hearth");
        if (JedisURIHelper.getPassword(uri) != null) {
            client.user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri));
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(POOL_WAIT); // a busy pool is waited for: falling back under load would loosen the limits
        return new RedisRateLimits(new JedisPooled(at, client.build(), pool),
                (JedisURIHelper.isRedisSSLScheme(uri) ? "rediss://" : "redis://") + at);
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !(JedisURIHelper.isRedisScheme(uri) || JedisURIHelper.isRedisSSLScheme(uri))
                || uri.getHost() == null || !JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException(REDIS_URL + " must be a Redis URL such as redis://127.0.0.1:6379,"
                    + " redis://:password@host:6379/0 or rediss://host:6380 (TLS); got \"" + redacted(url)
                    + "\"; fix it, or unset it to keep rate limits in each instance");
        }
        return uri;
    }

    private static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    /** Answers whether the server answers (a {@code PING}); throws when it cannot be reached. */
    void ping() {
        redis.ping();
    }

    @Override
    public Throttled admit(String key, Integer rpm, Integer tpm) {
        List<?> r = (List<?>) admit.run(List.of(bucket(key, "tpm"), bucket(key, "rpm")),
                List.of(Integer.toString(tpm == null ? 0 : tpm), Integer.toString(rpm == null ? 0 : rpm)));
        long which = (Long) r.get(0);
        if (which == 0) {
            return null;
        }
        return new Throttled(which == 1 ? "requests" : "tokens", Duration.ofNanos((Long) r.get(1) * 1000));
    }

    @Override
    public void spend(String key, Integer tpm, long used) {
        if (tpm != null && used > 0) {
            spend.run(List.of(bucket(key, "tpm")), List.of(Integer.toString(tpm), Long.toString(used)));
        }
    }

    /** A bucket's key; the hash tag keeps a key's two buckets in one slot of a Redis Cluster. */
    private static String bucket(String key, String kind) {
        return "hearth:rate:{" + key + "}:" + kind;
    }

    @Override
    public String describe() {
        return "Redis at " + where;
    }

    @Override
    public void close() {
        redis.close();
    }

    /** A script sent once and run by its digest after; sent again when the server forgot it (a restart). */
    private final class Script {
        private final String source;
        private volatile String sha;

        Script(String source) {
            this.source = source;
        }

        Object run(List<String> keys, List<String> args) {
            String digest = sha;
            if (digest != null) {
                try {
                    return redis.evalsha(digest, keys, args);
                } catch (JedisNoScriptException e) {
                    sha = null;
                }
            }
            sha = redis.scriptLoad(source);
            return redis.evalsha(sha, keys, args);
        }
    }
}
