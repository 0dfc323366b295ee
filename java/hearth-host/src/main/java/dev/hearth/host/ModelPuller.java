package dev.hearth.host;

import dev.hearth.api.io.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads models into the {@link ModelStore}, one pull per name at a time (its lock): resumes an interrupted
 * download of the same file from the same URL (HTTP range requests with {@code If-Range}, see
 * {@link PartialDownload}), checks the room on disk first, verifies the sha256, and only then moves the file into
 * place atomically ({@link SafeFiles}: fsync, rename, fsync of the directory). A bad download never replaces a good
 * model.
 */
public final class ModelPuller {
    /** Progress of a download: bytes so far (including a resumed part) of the total (0 if unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(long bytes, long total);

        static Progress none() {
            return (bytes, total) -> { };
        }
    }

    /**
     * A finished pull.
     *
     * @param path     where the model is
     * @param sha256   its hash
     * @param bytes    its size
     * @param resumed  whether an earlier partial download was continued
     */
    public record Result(Path path, String sha256, long bytes, boolean resumed) {
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final ModelStore store;
    private final HttpClient http;
    private final LongSupplier usableSpace;
    private final Check check;

    /** Says why a downloaded file is not a model Hearth can read (empty when it is one): the backends know formats. */
    @FunctionalInterface
    public interface Check {
        Optional<String> unreadable(Path file);
    }

    /** Pulls over its own HTTP client (redirects followed, as model hubs redirect to their CDNs). */
    public ModelPuller(ModelStore store, Check check) {
        this(store, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15)).build(), () -> usable(store.directory()), check);
    }

    /**
     * @param usableSpace the bytes that may still be written to the cache's disk (injected: tests fill the disk)
     * @param check       whether a downloaded file is a model, before it is kept
     */
    public ModelPuller(ModelStore store, HttpClient http, LongSupplier usableSpace, Check check) {
        this.store = store;
        this.http = http;
        this.usableSpace = usableSpace;
        this.check = java.util.Objects.requireNonNull(check, "check");
    }

    /**
     * Pulls {@code name} from {@code url} under the name's {@link ModelStore#lock lock}: a second pull of the same name,
     * or a removal, fails at once with a message instead of cutting this one's files from under it.
     */
    @SuppressWarnings("try") // the lock is held by being open
    public Result pull(String name, URI url, String expectedSha256, Progress progress)
            throws IOException, InterruptedException {
        store.path(name); // a bad name is refused before anything is created
        try (ModelStore.Lock lock = store.lock(name, "pulled")) {
            return pullLocked(name, url, expectedSha256, progress);
        }
    }

    private Result pullLocked(String name, URI url, String expectedSha256, Progress progress)
            throws IOException, InterruptedException {
        SafeFiles.checkTarget(store.path(name), SafeFiles.Existing.REPLACE); // before downloading, not after
        PartialDownload partial = new PartialDownload(store, name);
        Optional<PartialDownload.Resume> resume = partial.resumable(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        resume.ifPresent(r -> request.header("Range", "bytes=" + r.bytes() + "-").header("If-Range", r.ifRange()));
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("cannot reach " + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                    + " (" + unreachable(e) + "): offline, or a proxy is needed?"
                    + (resume.isPresent() ? " The partial download is kept." : ""), e);
        }
        Answer answer;
        try (InputStream body = response.body()) {
            answer = answer(response, url, partial, resume);
            long have = answer.have(), total = answer.total();
            long remaining = total > 0 ? total - have : -1, free = usableSpace.getAsLong();
            if (remaining > free) {
                throw new IOException("not enough disk space in " + store.directory() + " for " + name + ": "
                        + mib(remaining) + " needed, " + mib(free) + " free; free some space and pull again (the"
                        + " download resumes)");
            }
            if (response.statusCode() != 416) {
                try (FileChannel out = have == 0 ? partial.startOver(url, response.headers()) : partial.append()) {
                    have = copy(body, out, have, total, free, progress);
                }
            }
            if (total > 0 && have != total) {
                throw new IOException("the download of " + name + " stopped at " + have + " of " + total + " bytes;"
                        + " pull again to resume");
            }
        }
        return keep(name, url, expectedSha256, partial, answer.resumed());
    }

    /** What a server's answer means: the bytes of the partial file it continues, the file's size (0: unknown). */
    private record Answer(long have, long total, boolean resumed) {
    }

    private static Answer answer(HttpResponse<?> response, URI url, PartialDownload partial,
            Optional<PartialDownload.Resume> resume) throws IOException {
        int status = response.statusCode();
        long length = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (status == 206 && resume.isPresent()) {
            long have = resume.get().bytes();
            Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("content-range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have
                    || !resume.get().source().sameFileAs(response.headers())) {
                partial.discard();
                throw new IOException(url + " answered a range that does not continue the partial download (the file"
                        + " changed, or the server mixes files up); it was deleted: pull again to download from the"
                        + " start");
            }
            return new Answer(have, m.group(3).equals("*") ? have + Math.max(0, length) : Long.parseLong(m.group(3)),
                    true);
        }
        if (status == 200) { // the whole file: a first download, a server that ignores ranges, or a file that changed
            return new Answer(0, Math.max(0, length), false);
        }
        if (status == 416 && resume.isPresent()) { // the partial download of this very file is already complete
            return new Answer(resume.get().bytes(), resume.get().bytes(), true);
        }
        throw new IOException(url + " answered HTTP " + status + "; check the URL (and that the model exists)");
    }

    /** Verifies a complete partial file and moves it into place, its hash beside it. */
    private Result keep(String name, URI url, String expectedSha256, PartialDownload partial, boolean resumed)
            throws IOException {
        Path part = partial.file(), target = store.path(name);
        String actual = sha256(part);
        if (!expectedSha256.isBlank() && !actual.equalsIgnoreCase(expectedSha256.strip())) {
            partial.discard();
            throw new IOException("the download of " + name + " has sha256 " + actual + ", not the expected "
                    + expectedSha256.strip().toLowerCase(Locale.ROOT) + "; it was deleted and nothing was replaced");
        }
        // an HTML error page served as 200 must not become a "model"
        Optional<String> unreadable;
        try {
            unreadable = check.unreadable(part);
        } catch (RuntimeException e) {
            unreadable = Optional.of(e.getMessage());
        }
        if (unreadable.isPresent()) {
            partial.discard();
            throw new IOException(url + " did not serve a model Hearth can read: " + unreadable.get());
        }
        // the old hash goes first: a crash in between leaves a model without a hash, never one with another's
        Files.deleteIfExists(store.hashFile(name));
        SafeFiles.moveIntoPlace(part, target, SafeFiles.Existing.REPLACE);
        partial.finished();
        SafeFiles.writeString(store.hashFile(name), SafeFiles.Existing.REPLACE, actual + "\n");
        return new Result(target, actual, Files.size(target), resumed);
    }

    private static long copy(InputStream body, FileChannel out, long have, long total, long free, Progress progress)
            throws IOException {
        long written = 0;
        byte[] buffer = new byte[1 << 16];
        try {
            try {
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    if (written + n > free) {
                        throw new IOException("the disk is full: " + mib(free) + " were free; the partial download is"
                                + " kept: free some space and pull again to resume");
                    }
                    out.write(ByteBuffer.wrap(buffer, 0, n));
                    written += n;
                    progress.update(have + written, total);
                }
            } finally {
                out.force(true);
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the disk is full")) {
                throw e;
            }
            throw new IOException("the download stopped at " + (have + written) + (total > 0 ? " of " + total : "")
                    + " bytes (" + e.getMessage() + "); pull again to resume", e);
        }
        return have + written;
    }

    /** Why a server could not be reached, in words (the JDK often says only "ConnectException"). */
    private static String unreachable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "no answer to the connection";
            }
            if (t instanceof java.net.ConnectException) {
                return "the connection was refused";
            }
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "the host name is unknown";
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static String sha256(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static long usable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String mib(long bytes) {
        return MemoryUnavailableException.mib(bytes);
    }
}
