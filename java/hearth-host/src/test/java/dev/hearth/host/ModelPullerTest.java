package dev.hearth.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.http.LoopbackHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a loopback server serving a synthetic model: range requests, cut connections, bad hashes, full disks. */
class ModelPullerTest {
    @TempDir
    Path dir;
    byte[] model;
    String sha256;
    ModelStore store;
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    volatile int cutFirstAt = -1;       // the first answer stops after this many bytes, with a reset
    volatile boolean honourRanges = true;
    volatile byte[] served;

    @BeforeEach
    void writeModel() throws IOException {
        Path file = dir.resolve("source.gguf");
        SyntheticModel.tiny().write(file);
        model = Files.readAllBytes(file);
        served = model;
        sha256 = ModelPuller.sha256(file);
        store = new ModelStore(dir.resolve("cache"));
    }

    private LoopbackHttpServer server() throws IOException {
        return new LoopbackHttpServer(ex -> {
            int n = requests.incrementAndGet();
            String range = ex.headers().get("range");
            ranges.add(range == null ? "" : range);
            byte[] body = served;
            int from = 0;
            if (range != null && honourRanges) {
                from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                ex.head(206, Map.of("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length),
                        body.length - from);
            } else {
                ex.head(200, Map.of("Content-Type", "application/octet-stream"), body.length);
            }
            if (n == 1 && cutFirstAt > 0) {
                ex.write(body, from, cutFirstAt);
                ex.reset();
                return;
            }
            ex.write(body, from, body.length - from);
        });
    }

    private ModelPuller puller(long usable) {
        return new ModelPuller(store, HttpClient.newHttpClient(), () -> usable, ModelPullerTest::ggufMagic);
    }

    /** The host knows no format: a check as the backends give it, here only the GGUF magic number. */
    private static java.util.Optional<String> ggufMagic(Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            return new String(in.readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII).equals("GGUF")
                    ? java.util.Optional.empty() : java.util.Optional.of("no GGUF magic number");
        } catch (IOException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    @Test
    void aPullVerifiesTheHashAndMovesTheModelIntoPlace() throws Exception {
        try (LoopbackHttpServer s = server()) {
            List<Long> progress = new CopyOnWriteArrayList<>();
            ModelPuller.Result r = puller(Long.MAX_VALUE).pull("tiny", s.uri().resolve("/tiny.gguf"), sha256,
                    (bytes, total) -> progress.add(bytes));
            assertThat(r.sha256()).isEqualTo(sha256);
            assertThat(r.resumed()).isFalse();
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(model);
            assertThat(store.list()).extracting(ModelStore.Model::name).containsExactly("tiny");
            assertThat(store.model("tiny").sha256()).isEqualTo(sha256);
            assertThat(progress).isNotEmpty().last().isEqualTo((long) model.length);
            assertThat(Files.list(store.directory()).map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".part") || n.endsWith(".tmp"));
        }
    }

    @Test
    void aDownloadCutHalfwayResumesWhereItStopped() throws Exception {
        cutFirstAt = model.length / 2;
        try (LoopbackHttpServer s = server()) {
            URI url = s.uri().resolve("/tiny.gguf");
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining("pull again to resume");
            assertThat(Files.exists(store.path("tiny"))).isFalse();
            long kept = Files.size(store.partial("tiny"));
            assertThat(kept).isPositive().isLessThan(model.length);
            ModelPuller.Result r = puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none());
            assertThat(r.resumed()).isTrue();
            assertThat(ranges.getLast()).isEqualTo("bytes=" + kept + "-");
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(model);
        }
    }

    @Test
    void aServerThatIgnoresRangesIsDownloadedAgainFromTheStart() throws Exception {
        cutFirstAt = model.length / 3;
        honourRanges = false;
        try (LoopbackHttpServer s = server()) {
            URI url = s.uri().resolve("/tiny.gguf");
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class);
            ModelPuller.Result r = puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none());
            assertThat(r.resumed()).isFalse();
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(model);
        }
    }

    @Test
    void aWrongHashDeletesTheDownloadAndLeavesTheGoodModelInPlace() throws Exception {
        try (LoopbackHttpServer s = server()) {
            puller(Long.MAX_VALUE).pull("tiny", s.uri().resolve("/tiny.gguf"), sha256, ModelPuller.Progress.none());
            served = model.clone();
            served[served.length - 1] ^= 1; // a corrupted copy
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", s.uri().resolve("/tiny.gguf"), sha256,
                    ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining("not the expected " + sha256)
                    .hasMessageContaining("nothing was replaced");
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(model);
            assertThat(Files.exists(store.partial("tiny"))).isFalse();
        }
    }

    @Test
    void aDiskWithoutRoomIsRefusedBeforeDownloading() throws Exception {
        try (LoopbackHttpServer s = server()) {
            assertThatThrownBy(() -> puller(model.length / 2).pull("tiny", s.uri().resolve("/tiny.gguf"), sha256,
                    ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining("not enough disk space")
                    .hasMessageContaining("free some space");
            assertThat(Files.exists(store.path("tiny"))).isFalse();
        }
    }

    @Test
    void somethingThatIsNotAModelIsRefused() throws Exception {
        served = "<html>Sign in to download this model</html>".getBytes();
        try (LoopbackHttpServer s = server()) {
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("page", s.uri().resolve("/x.gguf"), "",
                    ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining("did not serve a model Hearth can read").hasMessageContaining("no GGUF magic number");
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void aMissingModelIsAClearError() throws Exception {
        try (LoopbackHttpServer s = new LoopbackHttpServer(ex -> ex.respond(404, Map.of(), "not found"))) {
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("gone", s.uri().resolve("/gone.gguf"), sha256,
                    ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining("HTTP 404");
        }
    }
}
