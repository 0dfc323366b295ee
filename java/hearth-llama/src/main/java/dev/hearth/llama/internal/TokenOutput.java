package dev.hearth.llama.internal;

import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaModel;
import java.util.Arrays;
import java.util.Set;

/**
 * What one generation has produced, and what each sampled token does to it: recorded, checked for the end of
 * generation, turned into text (whole characters, stop sequences held back), checked against maxTokens. Shared
 * by contexts and the engine; used by one thread at a time.
 */
public final class TokenOutput {
    private final LlamaModel model;
    private final Pieces pieces;
    private final GenerationParams params;
    private final Set<Integer> shownSpecial;
    private final TextAssembler text;
    private int[] tokens = new int[64];
    private int count;
    private String shown = "";

    public TokenOutput(LlamaModel model, Pieces pieces, GenerationParams params, Set<Integer> shownSpecial) {
        this.model = model;
        this.pieces = pieces;
        this.params = params;
        this.shownSpecial = shownSpecial;
        this.text = new TextAssembler(params.stopSequences());
    }

    /** Takes a sampled token; returns why the generation ends because of it, or null to go on. */
    public FinishReason accept(int token) {
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, count * 2);
        }
        tokens[count++] = token;
        shown = "";
        if (!params.ignoreEog() && model.isEndOfGeneration(token)) {
            return FinishReason.END_OF_GENERATION;
        }
        int length = pieces.of(token, !shownSpecial.isEmpty() && shownSpecial.contains(token));
        shown = text.add(pieces.bytes(), length);
        if (text.stopped()) {
            return FinishReason.STOP_SEQUENCE;
        }
        return count >= params.maxTokens() ? FinishReason.MAX_TOKENS : null;
    }

    /** The text the last token released (possibly empty). */
    public String shown() {
        return shown;
    }

    /** Ends the text: what was held back, released. */
    public String finish() {
        return text.finish();
    }

    /** The packed incomplete last character, for the UTF-8-aware sampler (see {@link TextAssembler#pendingUtf8()}). */
    public int pendingUtf8() {
        return text.pendingUtf8();
    }

    public int count() {
        return count;
    }

    public int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }

    public String text() {
        return text.text();
    }
}
