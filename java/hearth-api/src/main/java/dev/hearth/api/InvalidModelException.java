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
        this(file, offset, problem, "the file is damaged or not a GGUF model; download it again or choose another file");
    }

    /** With advice other than the default "download it again". */
    public InvalidModelException(Path file, long offset, String problem, String advice) {
        super("invalid model file " + file + (offset >= 0 ? " at byte " + offset : "") + ": " + problem + ". "
                + Character.toUpperCase(advice.charAt(0)) + advice.substring(1) + ".");
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
