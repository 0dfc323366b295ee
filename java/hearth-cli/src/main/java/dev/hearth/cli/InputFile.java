package dev.hearth.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a file an option names, with messages that name the option and say what to do (not a bare OS error). */
final class InputFile {
    private InputFile() {
    }

    /** The UTF-8 text of {@code file}, which {@code option} named. */
    static String text(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a directory; name a file");
        }
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(option + " " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getMessage());
        }
    }
}
