package dev.hearth.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.io.SafeFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model's partial download and where it came from: the URL and the validator (a strong ETag, else Last-Modified)
 * of the response it was written from, recorded beside it before its first byte. It is continued only from the same
 * URL, asking with {@code If-Range}, so a server whose file changed sends the whole new file instead of the rest of
 * it; a partial file of unknown or other origin is deleted and the download starts over. Used under the model's
 * {@link ModelStore#lock lock}, by one thread.
 */
final class PartialDownload {
    /** Where a partial file came from. Empty strings for validators the server did not send. */
    record Source(String url, String etag, String lastModified) {
        static Source of(URI url, HttpHeaders headers) {
            return new Source(url.toString(), headers.firstValue("etag").orElse(""),
                    headers.firstValue("last-modified").orElse(""));
        }

        /**
         * The {@code If-Range} value that makes a resume safe: a strong ETag, or the date when the server sent no ETag
         * at all (RFC 9110 forbids weak ETags there); empty when there is none, and the partial file cannot be resumed.
         */
        Optional<String> ifRange() {
            if (!etag.isEmpty()) {
                return etag.startsWith("W/") ? Optional.empty() : Optional.of(etag);
            }
            return lastModified.isEmpty() ? Optional.empty() : Optional.of(lastModified);
        }

        /** Whether a response describes the same file: its validators, where it sends them, are the recorded ones. */
        boolean sameFileAs(HttpHeaders headers) {
            String otherEtag = headers.firstValue("etag").orElse("");
            String otherDate = headers.firstValue("last-modified").orElse("");
            return (otherEtag.isEmpty() || otherEtag.equals(etag))
                    && (otherDate.isEmpty() || otherDate.equals(lastModified));
        }
    }

    /** How to continue: from {@code bytes}, asking with {@code ifRange}. */
    record Resume(long bytes, String ifRange, Source source) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path part;
    private final Path source;

    PartialDownload(ModelStore store, String name) {
        this.part = store.partial(name);
        this.source = store.partialSource(name);
    }

    Path file() {
        return part;
    }

    /** How the partial file can be continued from {@code url}; empty (and it is deleted) when it cannot be. */
    Optional<Resume> resumable(URI url) throws IOException {
        Optional<Source> recorded = recorded();
        if (recorded.isPresent() && recorded.get().url().equals(url.toString())
                && recorded.get().ifRange().isPresent() && Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)
                && Files.size(part) > 0) {
            return Optional.of(new Resume(Files.size(part), recorded.get().ifRange().get(), recorded.get()));
        }
        discard();
        return Optional.empty();
    }

    /** Starts the partial file afresh for a response from {@code url}, recording where it comes from first. */
    FileChannel startOver(URI url, HttpHeaders headers) throws IOException {
        discard();
        Source s = Source.of(url, headers);
        SafeFiles.writeString(source, SafeFiles.Existing.REPLACE, JSON.createObjectNode().put("url", s.url())
                .put("etag", s.etag()).put("lastModified", s.lastModified()).toString());
        return SafeFiles.createNew(part);
    }

    /** Opens the partial file to continue it. */
    FileChannel append() throws IOException {
        return SafeFiles.openToAppend(part);
    }

    /** Deletes the partial file and its record. */
    void discard() throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(source);
    }

    /** The finished file is moved away ({@link #file()}): its record goes too. */
    void finished() throws IOException {
        Files.deleteIfExists(source);
    }

    private Optional<Source> recorded() {
        try {
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) || Files.size(source) > 64 * 1024) {
                return Optional.empty();
            }
            JsonNode root = JSON.readTree(source.toFile());
            return Optional.of(new Source(root.path("url").asText(""), root.path("etag").asText(""),
                    root.path("lastModified").asText("")));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // a damaged record: the partial file's origin is unknown
        }
    }
}
