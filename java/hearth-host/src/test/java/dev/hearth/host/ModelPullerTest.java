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
import java.util.concurrent.CountDownLatch;
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
    final List<String> ifRanges = new CopyOnWriteArrayList<>();
    volatile int cutFirstAt = -1;       // the first answer stops after this many bytes, with a reset
    volatile boolean honourRanges = true;
    volatile boolean honourIfRange = true;
    volatile byte[] served;
    volatile String etag = "\"v1\"";   // the served file's validator; null: the server sends none
    volatile CountDownLatch release;    // when set, the first answer waits halfway until it is counted down

    @BeforeEach
    void writeModel() throws IOException {
        Path file = dir.resolve("source.gguf");
        SyntheticModel.tiny().write(file);
        model = Files.readAllBytes(file);
        served = model;
        sha256 = ModelPuller.sha256(file);
        store = new ModelStore(dir.resolve("cache"));
    }

    /**
     * Serves {@code served} at any path with {@code etag}, honouring Range (unless told not to) and If-Range as
     * servers do: a validator that does not match gets the whole file.
     */
    private LoopbackHttpServer server() throws IOException {
        return new LoopbackHttpServer(ex -> {
            int n = requests.incrementAndGet();
            String range = ex.headers().get("range"), ifRange = ex.headers().get("if-range");
            ranges.add(range == null ? "" : range);
            ifRanges.add(ifRange == null ? "" : ifRange);
            byte[] body = served;
            String validator = etag;
            Map<String, String> headers = new java.util.HashMap<>();
            if (validator != null) {
                headers.put("ETag", validator);
            }
            int from = 0;
            boolean sameFile = ifRange == null || !honourIfRange || ifRange.equals(validator);
            if (range != null && honourRanges && sameFile) {
                from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                headers.put("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.head(206, headers, body.length - from);
            } else {
                headers.put("Content-Type", "application/octet-stream");
                ex.head(200, headers, body.length);
            }
            if (n == 1 && cutFirstAt > 0) {
                ex.write(body, from, cutFirstAt);
                ex.reset();
                return;
            }
            if (n == 1 && release != null) {
                int half = (body.length - from) / 2;
                ex.write(body, from, half);
                release.await();
                ex.write(body, from + half, body.length - from - half);
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
            assertThat(ifRanges.getLast()).as("resumed only if the file is the one the partial came from")
                    .isEqualTo("\"v1\"");
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
    /** Another model of the same size (other weights): spliced onto a partial download of the first, it still reads. */
    private byte[] otherModel() throws IOException {
        Path file = dir.resolve("other.gguf");
        SyntheticModel.tiny().withSeed(99).write(file);
        byte[] other = Files.readAllBytes(file);
        assertThat(other).hasSameSizeAs(model).isNotEqualTo(model);
        return other;
    }

    /** A partial download cut halfway from {@code url}. */
    private void cutHalfway(URI url) {
        cutFirstAt = model.length / 2;
        assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", url, "", ModelPuller.Progress.none()))
                .isInstanceOf(IOException.class).hasMessageContaining("pull again to resume");
        assertThat(store.partial("tiny")).exists();
    }

    @Test
    void aPartialDownloadFromAnotherUrlIsNotContinuedButStartedOver() throws Exception {
        try (LoopbackHttpServer s = server()) {
            cutHalfway(s.uri().resolve("/a/tiny.gguf"));
            served = otherModel(); // what the other address serves
            ModelPuller.Result r = puller(Long.MAX_VALUE).pull("tiny", s.uri().resolve("/b/tiny.gguf"), "",
                    ModelPuller.Progress.none());
            assertThat(ranges.getLast()).as("no range asked of another address").isEmpty();
            assertThat(r.resumed()).isFalse();
            assertThat(Files.readAllBytes(store.path("tiny"))).as("the other address's file, whole").isEqualTo(served);
            assertThat(store.model("tiny").sha256()).isEqualTo(ModelPuller.sha256(store.path("tiny")));
        }
    }

    @Test
    void aFileThatChangedOnTheServerIsDownloadedWholeNotSpliced() throws Exception {
        try (LoopbackHttpServer s = server()) {
            URI url = s.uri().resolve("/tiny.gguf");
            cutHalfway(url);
            served = otherModel();
            etag = "\"v2\"";
            ModelPuller.Result r = puller(Long.MAX_VALUE).pull("tiny", url, "", ModelPuller.Progress.none());
            assertThat(ifRanges.getLast()).isEqualTo("\"v1\"");
            assertThat(r.resumed()).isFalse();
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(served);
        }
    }

    @Test
    void aServerThatIgnoresIfRangeCannotSpliceAChangedFileEither() throws Exception {
        honourIfRange = false;
        try (LoopbackHttpServer s = server()) {
            URI url = s.uri().resolve("/tiny.gguf");
            cutHalfway(url);
            served = otherModel();
            etag = "\"v2\"";
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", url, "", ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining("does not continue the partial download")
                    .hasMessageContaining("pull again");
            assertThat(store.path("tiny")).doesNotExist();
            assertThat(store.partial("tiny")).doesNotExist();
            puller(Long.MAX_VALUE).pull("tiny", url, "", ModelPuller.Progress.none());
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(served);
        }
    }

    @Test
    void aPartialDownloadWithoutAValidatorIsStartedOver() throws Exception {
        etag = null; // nothing to ask If-Range with: the rest might belong to another file
        try (LoopbackHttpServer s = server()) {
            URI url = s.uri().resolve("/tiny.gguf");
            cutHalfway(url);
            ModelPuller.Result r = puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none());
            assertThat(ranges.getLast()).isEmpty();
            assertThat(r.resumed()).isFalse();
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(model);
        }
    }

    @Test
    void whileAModelIsPulledASecondPullAndARemovalOfItAreRefusedAndItsPartialFileIsKept() throws Exception {
        release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        try (LoopbackHttpServer s = server()) {
            URI url = s.uri().resolve("/tiny.gguf");
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return puller(Long.MAX_VALUE).pull("tiny", url, sha256, (bytes, total) -> writing.countDown());
                } catch (IOException | InterruptedException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            writing.await(); // the first pull has written to its partial file
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining("tiny is being pulled by process")
                    .hasMessageContaining("wait for that to finish");
            assertThatThrownBy(() -> store.remove("tiny")).isInstanceOf(IOException.class)
                    .hasMessageContaining("tiny is being pulled by process");
            assertThat(store.partial("tiny")).exists();
            release.countDown();
            assertThat(first.get().sha256()).isEqualTo(sha256);
            assertThat(requests).hasValue(1);
            assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(model);
        }
        assertThat(store.remove("tiny")).isTrue();
        assertThat(store.path("tiny")).doesNotExist();
    }

    @Test
    void aLockHeldByAnotherProcessRefusesAPullUntilThatProcessEnds() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldModelLock.class.getName(), store.directory().toString(), "tiny").start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
             LoopbackHttpServer s = server()) {
            assertThat(out.readLine()).isEqualTo("held");
            URI url = s.uri().resolve("/tiny.gguf");
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("tiny is being pulled by process " + holder.pid());
            assertThat(requests).hasValue(0);
            holder.destroy();
            holder.waitFor();
            assertThat(puller(Long.MAX_VALUE).pull("tiny", url, sha256, ModelPuller.Progress.none()).sha256())
                    .isEqualTo(sha256);
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void linksPlantedInTheCacheAreNeitherFollowedNorReplaced() throws Exception {
        Files.createDirectories(store.directory());
        Path victim = Files.writeString(dir.resolve("victim"), "keep"), other = Files.writeString(dir.resolve("other"),
                "keep");
        Files.createSymbolicLink(store.partial("tiny"), victim);
        Files.createSymbolicLink(store.directory().resolve(".tiny.gguf.sha256.tmp"), other);
        try (LoopbackHttpServer s = server()) {
            puller(Long.MAX_VALUE).pull("tiny", s.uri().resolve("/tiny.gguf"), sha256, ModelPuller.Progress.none());
        }
        assertThat(Files.readString(victim)).isEqualTo("keep");
        assertThat(Files.readString(other)).isEqualTo("keep");
        assertThat(ranges).containsExactly("");
        assertThat(Files.readAllBytes(store.path("tiny"))).isEqualTo(model);
        assertThat(Files.isSymbolicLink(store.hashFile("tiny"))).isFalse();
        assertThat(store.model("tiny").sha256()).isEqualTo(sha256);
    }

    @Test
    void aDirectoryWhereTheModelGoesIsRefusedBeforeDownloading() throws Exception {
        Files.createDirectories(store.path("tiny"));
        try (LoopbackHttpServer s = server()) {
            assertThatThrownBy(() -> puller(Long.MAX_VALUE).pull("tiny", s.uri().resolve("/tiny.gguf"), sha256,
                    ModelPuller.Progress.none()))
                    .isInstanceOf(IOException.class).hasMessageContaining(store.path("tiny") + " is a directory");
            assertThat(requests).hasValue(0);
        }
        assertThat(store.list()).as("a directory is not a model").isEmpty();
    }
}
