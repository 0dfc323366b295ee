package dev.hearth.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where and how {@code hearth serve} listens. Defaults in one place ({@link #defaults()}); the environment
 * ({@code HEARTH_HOST}, {@code HEARTH_PORT}, {@code HEARTH_MAX_BODY_BYTES}, {@code HEARTH_CORS_ORIGINS},
 * {@code HEARTH_READ_TIMEOUT_SECONDS}, {@code HEARTH_STREAM_KEEP_ALIVE_SECONDS}) and then the command line override them.
 *
 * @param host          the address to bind: loopback by default
 * @param port          the TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes  the largest request body accepted; a larger one is answered 413
 * @param drainTimeout  on shutdown, how long answers in flight may take to finish before the server stops anyway
 * @param corsOrigins   the browser origins allowed to call the server ({@code *}: any); empty, the default: none
 * @param readTimeout   how long a connection may send nothing while the server waits to read from it (a request's
 *                      headers or body, or the next request); past it the connection is closed. With the header
 *                      size limit it bounds how long a client that trickles its headers can hold a connection
 * @param keepAlive     how long a stream may go without an event before the server sends one that carries nothing
 *                      (Anthropic's {@code ping}, an SSE comment elsewhere), so proxies and clients that give up on a
 *                      silent connection keep it while a model thinks or a request waits for a slot
 */
public record ServerSettings(String host, int port, long maxBodyBytes, Duration drainTimeout, List<String> corsOrigins,
        Duration readTimeout, Duration keepAlive) {
    /** The port {@code hearth serve} listens on unless told otherwise (the README states it). */
    public static final int DEFAULT_PORT = 8089;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(10);

    public ServerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the host to listen on is empty; give an address such as "
                    + DEFAULT_HOST);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be from 0 (any free port) to 65535, not " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit must be at least 1024 bytes, not " + maxBodyBytes);
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("the drain timeout must be zero or more");
        }
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        for (String o : corsOrigins) {
            if (!o.equals("*") && !o.matches("https?://[^/\\s]+")) {
                throw new IllegalArgumentException("a CORS origin is * or scheme://host[:port] with nothing after it"
                        + " (e.g. http://localhost:3000), not \"" + o + "\"");
            }
        }
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("the read timeout must be positive (it closes connections that send"
                    + " nothing), not " + readTimeout);
        }
        if (keepAlive == null || keepAlive.toMillis() < 10) {
            throw new IllegalArgumentException("the stream keep-alive (HEARTH_STREAM_KEEP_ALIVE_SECONDS) must be at least 10 ms, not " + keepAlive);
        }
    }

    /** Settings with the default stream keep-alive. */
    public ServerSettings(String host, int port, long maxBodyBytes, Duration drainTimeout, List<String> corsOrigins,
            Duration readTimeout) {
        this(host, port, maxBodyBytes, drainTimeout, corsOrigins, readTimeout, DEFAULT_KEEP_ALIVE);
    }

    /** Settings with no CORS origins and the default read timeout. */
    public ServerSettings(String host, int port, long maxBodyBytes, Duration drainTimeout) {
        this(host, port, maxBodyBytes, drainTimeout, List.of(), DEFAULT_READ_TIMEOUT);
    }

    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, 16L << 20, Duration.ofSeconds(30));
    }

    /** The defaults with {@code HEARTH_HOST}, {@code HEARTH_PORT} and {@code HEARTH_MAX_BODY_BYTES} laid over them. */
    public static ServerSettings fromEnvironment(Map<String, String> env) {
        ServerSettings s = defaults();
        String host = env.get("HEARTH_HOST");
        if (host != null && !host.isBlank()) {
            s = s.withHost(host.strip());
        }
        String port = env.get("HEARTH_PORT");
        if (port != null && !port.isBlank()) {
            s = s.withPort(number("HEARTH_PORT", port));
        }
        String body = env.get("HEARTH_MAX_BODY_BYTES");
        if (body != null && !body.isBlank()) {
            s = new ServerSettings(s.host, s.port, number("HEARTH_MAX_BODY_BYTES", body), s.drainTimeout,
                    s.corsOrigins, s.readTimeout, s.keepAlive);
        }
        String cors = env.get("HEARTH_CORS_ORIGINS");
        if (cors != null && !cors.isBlank()) {
            s = s.withCorsOrigins(Arrays.stream(cors.split(",")).map(String::strip).filter(o -> !o.isEmpty())
                    .toList());
        }
        String read = env.get("HEARTH_READ_TIMEOUT_SECONDS");
        if (read != null && !read.isBlank()) {
            s = s.withReadTimeout(Duration.ofSeconds(number("HEARTH_READ_TIMEOUT_SECONDS", read)));
        }
        String keepAlive = env.get("HEARTH_STREAM_KEEP_ALIVE_SECONDS");
        if (keepAlive != null && !keepAlive.isBlank()) {
            s = s.withKeepAlive(Duration.ofSeconds(number("HEARTH_STREAM_KEEP_ALIVE_SECONDS", keepAlive)));
        }
        return s;
    }

    public ServerSettings withHost(String h) {
        return new ServerSettings(h, port, maxBodyBytes, drainTimeout, corsOrigins, readTimeout, keepAlive);
    }

    public ServerSettings withPort(int p) {
        return new ServerSettings(host, p, maxBodyBytes, drainTimeout, corsOrigins, readTimeout, keepAlive);
    }

    public ServerSettings withDrainTimeout(Duration d) {
        return new ServerSettings(host, port, maxBodyBytes, d, corsOrigins, readTimeout, keepAlive);
    }

    public ServerSettings withMaxBodyBytes(long bytes) {
        return new ServerSettings(host, port, bytes, drainTimeout, corsOrigins, readTimeout, keepAlive);
    }

    public ServerSettings withCorsOrigins(List<String> origins) {
        return new ServerSettings(host, port, maxBodyBytes, drainTimeout, origins, readTimeout, keepAlive);
    }

    public ServerSettings withReadTimeout(Duration d) {
        return new ServerSettings(host, port, maxBodyBytes, drainTimeout, corsOrigins, d, keepAlive);
    }

    public ServerSettings withKeepAlive(Duration d) {
        return new ServerSettings(host, port, maxBodyBytes, drainTimeout, corsOrigins, readTimeout, d);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not \"" + value + "\"");
        }
    }
}
