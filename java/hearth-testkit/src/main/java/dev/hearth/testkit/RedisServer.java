package dev.hearth.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis for tests: the distribution's {@code redis-server} (installed by scripts/install-redis.sh; or the binary
 * {@code HEARTH_REDIS_SERVER} names) on a free loopback port, nothing saved to disk. {@link #stop} kills it (as an
 * outage would) and {@link #start} brings it back, empty, on the same port. Not thread-safe: one test drives it.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(int port) throws IOException {
        this.port = port;
        this.log = Files.createTempFile("hearth-redis", ".log");
    }

    /** Starts one on a free loopback port and waits until it answers. */
    public static RedisServer launch() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer r = new RedisServer(port);
        r.start();
        return r;
    }

    /** {@code redis://127.0.0.1:PORT}, what {@code HEARTH_REDIS_URL} is set to. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it (again) on its port, empty, and waits until it answers a PING. */
    public void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        String binary = System.getenv().getOrDefault("HEARTH_REDIS_SERVER", "redis-server");
        try {
            process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + binary + " (" + e.getMessage() + "): install Redis with"
                    + " scripts/install-redis.sh, or set HEARTH_REDIS_SERVER to a redis-server binary", e);
        }
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (answersPing()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new IOException("redis-server did not answer on port " + port + " within 5 s:\n"
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Kills it at once (SIGKILL), as a crash or a network cut would look to its clients. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        Files.deleteIfExists(log);
    }
}
