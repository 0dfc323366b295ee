package dev.hearth.api;

import java.nio.file.Path;

/**
 * A model file is not a valid model: Hearth refused it before any native code read it, or the native loader
 * refused it. {@link #offset()} is the byte offset of the problem in the file, or -1 when it has none.
 */
public final class InvalidModelException extends HearthException {
    private final transient Path file;
    private final long offset;

    public InvalidModelException(Path file, long offset, String problem) {
        super(describe(file, offset, problem));
        this.file = file;
        this.offset = offset;
    }

    private static String describe(Path file, long offset, String problem) {
        String where = offset >= 0 ? " at byte " + offset : "";
        return "invalid model file " + file + where + ": " + problem
                + ". The file is damaged or not a GGUF model; download it again or choose another file.";
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
