package dev.hearth.cli;

import dev.hearth.testkit.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Several {@code hearth serve} processes, each a child JVM of its own on a loopback port of its own, all with one
 * environment (the shared PostgreSQL and Redis): started together, killed one at a time with SIGKILL, restarted on the
 * same port. Each one's output goes to a log the test reads. Not thread-safe: the test drives it.
 */
final class Fleet implements AutoCloseable {
    private static final List<String> KEPT = List.of("HEARTH_HOME", "HEARTH_NATIVES", "HEARTH_SHIM", "HOME", "PATH");

    private final Path dir;
    private final Map<String, String> env;
    private final int[] ports;
    private final Process[] processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Fleet(Path dir, Map<String, String> env, int size) throws IOException {
        this.dir = dir;
        this.env = env;
        this.ports = new int[size];
        this.processes = new Process[size];
        List<ServerSocket> held = new ArrayList<>(); // held together, so the three ports differ
        try {
            for (int i = 0; i < size; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    int size() {
        return ports.length;
    }

    URI base(int i) {
        return URI.create("http://127.0.0.1:" + ports[i]);
    }

    Path log(int i) {
        return dir.resolve("instance-" + i + ".log");
    }

    String output(int i) throws IOException {
        return Files.exists(log(i)) ? Files.readString(log(i), StandardCharsets.UTF_8) : "";
    }

    /** Starts every instance, then waits until each answers /health. */
    void startAll() throws Exception {
        for (int i = 0; i < ports.length; i++) {
            spawn(i);
        }
        for (int i = 0; i < ports.length; i++) {
            awaitHealthy(i);
        }
    }

    /** Starts instance {@code i} (again, on its port) and waits until it answers /health. */
    void restart(int i) throws Exception {
        spawn(i);
        awaitHealthy(i);
    }

    /** SIGKILL: no shutdown hook runs, nothing is drained or settled. */
    void kill(int i) throws InterruptedException {
        processes[i].destroyForcibly();
        processes[i].waitFor(10, TimeUnit.SECONDS);
    }

    private void spawn(int i) throws IOException {
        Map<String, String> own = new HashMap<>(env);
        own.put("HEARTH_RUN_DIR", dir.resolve("run-" + i).toString());
        processes[i] = ChildJvm.spawn(HearthCli.class, own, KEPT, log(i), 256, "serve", "--port",
                Integer.toString(ports[i]));
    }

    private void awaitHealthy(int i) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!processes[i].isAlive()) {
                throw new AssertionError("instance " + i + " exited with " + processes[i].exitValue() + ":\n"
                        + output(i));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base(i).resolve("/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    if (!output(i).contains("serving http://127.0.0.1:" + ports[i] + "/v1")) {
                        throw new AssertionError("something else answers on port " + ports[i] + "; instance " + i
                                + " printed:\n" + output(i));
                    }
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("instance " + i + " did not answer /health within 120 s:\n" + output(i));
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> alive = new ArrayList<>();
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                alive.add(p);
            }
        }
        for (Process p : alive) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
