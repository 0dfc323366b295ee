package dev.hearth.llama.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns token pieces (bytes) into text that is safe to show: whole UTF-8 characters only, and never text that
 * could be the start of a stop sequence until it is known not to be one. Single-threaded.
 */
public final class TextAssembler {
    private final List<String> stops;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder emitted = new StringBuilder();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private boolean stopped;

    public TextAssembler(List<String> stops) {
        this.stops = stops;
    }

    /** Adds a token's bytes; returns the text that may be shown now (possibly empty). */
    public String add(byte[] piece, int length) {
        bytes.write(piece, 0, length);
        byte[] all = bytes.toByteArray();
        int complete = completePrefix(all);
        bytes.reset();
        bytes.write(all, complete, all.length - complete);
        pending.append(decode(all, 0, complete));
        return release(false);
    }

    /** Ends the text: releases everything held back (an incomplete character becomes U+FFFD). */
    public String finish() {
        byte[] rest = bytes.toByteArray();
        bytes.reset();
        pending.append(decode(rest, 0, rest.length));
        return release(true);
    }

    /**
     * The bytes of the last, incomplete character, packed as libhearth_native's sampler wants them:
     * {@code (count << 24) | (b0 << 16) | (b1 << 8) | b2}; 0 when the text ends on a character boundary.
     */
    public int pendingUtf8() {
        byte[] held = bytes.toByteArray();
        int count = Math.min(3, held.length);
        int packed = count << 24;
        for (int k = 0; k < count; k++) {
            packed |= (held[k] & 0xff) << (16 - 8 * k);
        }
        return packed;
    }

    /** True once a stop sequence has appeared; the text before it has been released. */
    public boolean stopped() {
        return stopped;
    }

    /** Everything released so far. */
    public String text() {
        return emitted.toString();
    }

    private String release(boolean all) {
        if (stopped) {
            return "";
        }
        int stopAt = -1;
        for (String stop : stops) {
            int i = pending.indexOf(stop);
            if (i >= 0 && (stopAt < 0 || i < stopAt)) {
                stopAt = i;
            }
        }
        int cut;
        if (stopAt >= 0) {
            stopped = true;
            cut = stopAt;
        } else {
            cut = all ? pending.length() : pending.length() - heldBack();
        }
        String out = pending.substring(0, cut);
        pending.delete(0, stopped ? pending.length() : cut);
        emitted.append(out);
        return out;
    }

    // The longest suffix of pending that is a proper prefix of some stop sequence.
    private int heldBack() {
        int best = 0;
        for (String stop : stops) {
            for (int k = Math.min(stop.length() - 1, pending.length()); k > best; k--) {
                if (pending.substring(pending.length() - k).equals(stop.substring(0, k))) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }

    private String decode(byte[] b, int from, int to) {
        if (to <= from) {
            return "";
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(b, from, to - from));
            return chars.toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
    }

    // Length of the prefix that ends on a character boundary (an incomplete trailing sequence is held back).
    public static int completePrefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int lead = b[n - back] & 0xff;
            if ((lead & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead
            }
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
