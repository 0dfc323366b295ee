package dev.hearth.host;

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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads models into the {@link ModelStore}: resumes an interrupted download (HTTP range requests), checks the
 * room on disk first, verifies the sha256, and only then moves the file into place atomically (temporary file, fsync,
 * rename, fsync of the directory). A bad download never replaces a good model.
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
        java.util.Optional<String> unreadable(Path file);
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

    public Result pull(String name, URI url, String expectedSha256, Progress progress)
            throws IOException, InterruptedException {
        Files.createDirectories(store.directory());
        Path part = store.partial(name), target = store.path(name);
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("cannot reach " + url.getHost() + " (" + (e.getMessage() != null ? e.getMessage()
                    : e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName())
                    + "): offline, or a proxy is needed?" + (have > 0 ? " The partial download is kept." : ""), e);
        }
        boolean resumed = false;
        long total;
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            long length = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("content-range").orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new IOException(url + " answered a range that does not continue the partial download");
                }
                resumed = true;
                total = m.group(3).equals("*") ? have + Math.max(0, length) : Long.parseLong(m.group(3));
            } else if (status == 200) {
                have = 0; // the server sends the whole file: start over
                total = Math.max(0, length);
            } else if (status == 416 && have > 0) {
                total = have; // the partial download is already complete
                resumed = true;
            } else {
                throw new IOException(url + " answered HTTP " + status + "; check the URL (and that the model exists)");
            }
            long remaining = total > 0 ? total - have : -1, free = usableSpace.getAsLong();
            if (remaining > free) {
                throw new IOException("not enough disk space in " + store.directory() + " for " + name + ": "
                        + mib(remaining) + " needed, " + mib(free) + " free; free some space and pull again (the"
                        + " download resumes)");
            }
            if (status != 416) {
                have = copy(body, part, have, total, free, progress, status == 206);
            }
        }
        if (total > 0 && have != total) {
            throw new IOException("the download of " + name + " stopped at " + have + " of " + total + " bytes; pull"
                    + " again to resume");
        }
        String actual = sha256(part);
        if (!expectedSha256.isBlank() && !actual.equalsIgnoreCase(expectedSha256.strip())) {
            Files.deleteIfExists(part);
            throw new IOException("the download of " + name + " has sha256 " + actual + ", not the expected "
                    + expectedSha256.strip().toLowerCase(Locale.ROOT) + "; it was deleted and nothing was replaced");
        }
        // an HTML error page served as 200 must not become a "model"
        java.util.Optional<String> unreadable;
        try {
            unreadable = check.unreadable(part);
        } catch (RuntimeException e) {
            unreadable = java.util.Optional.of(e.getMessage());
        }
        if (unreadable.isPresent()) {
            Files.deleteIfExists(part);
            throw new IOException(url + " did not serve a model Hearth can read: " + unreadable.get());
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path hashTmp = store.directory().resolve("." + target.getFileName() + ".sha256.tmp");
        Files.writeString(hashTmp, actual + "\n");
        Files.move(hashTmp, store.hashFile(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(store.directory());
        return new Result(target, actual, Files.size(target), resumed);
    }

    private static long copy(InputStream body, Path part, long have, long total, long free, Progress progress,
            boolean append) throws IOException {
        long written = 0;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
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

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for fsync; the rename itself is atomic
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
