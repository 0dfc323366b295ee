package dev.hearth.llama.gguf;

import dev.hearth.api.InvalidModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Little-endian reads from a GGUF file through a window buffer, each bounded by the file size: a read past
 * the end becomes an {@link InvalidModelException} naming what was being read and where. Single-threaded.
 */
final class GgufInput {
    private static final int WINDOW = 1 << 16;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart = 0;
    private long position = 0;

    GgufInput(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        window.limit(0);
    }

    long position() {
        return position;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - position;
    }

    InvalidModelException invalid(long offset, String problem) {
        return new InvalidModelException(path, offset, problem);
    }

    private void require(long bytes, String what) {
        if (bytes < 0 || bytes > size - position) {
            throw invalid(position, "the file ends (at " + size + " bytes) inside " + what
                    + ", which needs " + Long.toUnsignedString(bytes) + " more bytes; the file is truncated or corrupt");
        }
    }

    private ByteBuffer at(int bytes, String what) {
        require(bytes, what);
        long end = windowStart + window.limit();
        if (position < windowStart || position + bytes > end) {
            window.clear();
            windowStart = position;
            try {
                int total = 0;
                while (total < bytes) {
                    int n = channel.read(window, windowStart + total);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
            window.flip();
        }
        window.position((int) (position - windowStart));
        position += bytes;
        return window;
    }

    int u8(String what) {
        return at(1, what).get() & 0xff;
    }

    int u16(String what) {
        return at(2, what).getShort() & 0xffff;
    }

    long u32(String what) {
        return at(4, what).getInt() & 0xffffffffL;
    }

    int i32(String what) {
        return at(4, what).getInt();
    }

    /** A uint64 or int64; callers bound it before using it as a count. */
    long u64(String what) {
        return at(8, what).getLong();
    }

    float f32(String what) {
        return at(4, what).getFloat();
    }

    double f64(String what) {
        return at(8, what).getDouble();
    }

    String string(String what) {
        long start = position;
        long length = u64("the length of " + what);
        if (length < 0 || length > remaining()) {
            throw invalid(start, "the length of " + what + " is " + Long.toUnsignedString(length)
                    + " bytes, more than the " + remaining() + " bytes left in the file");
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw invalid(start, what + " is " + length + " bytes long, more than a string can hold");
        }
        int n = (int) length;
        if (n <= WINDOW) {
            ByteBuffer b = at(n, what);
            return new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
        }
        ByteBuffer big = ByteBuffer.allocate(n);
        try {
            while (big.hasRemaining()) {
                if (channel.read(big, position + big.position()) < 0) {
                    throw invalid(position, "the file ends inside " + what);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        position += n;
        return new String(big.array(), StandardCharsets.UTF_8);
    }

    void skipTo(long offset) {
        if (offset < 0 || offset > size) {
            throw invalid(position, "an offset of " + offset + " lies outside the file (" + size + " bytes)");
        }
        position = offset;
    }
}
