package dev.hearth.llama;

/**
 * Whether and how an engine request drafts tokens ahead and verifies them in one batch (speculative decoding). The
 * output is the same as without it: each drafted token is kept only when the request's own sampler, reading the
 * logits at that place, picks it; the first pick that differs replaces the draft and ends the step. That is exact for
 * greedy decoding and, since the drafts are deterministic guesses, exact rejection sampling for sampled decoding.
 * Grammars, stops and penalties see the same tokens in the same order as without drafts.
 *
 * @param mode      {@link Mode#OFF}, {@link Mode#AUTO}, {@link Mode#PROMPT_LOOKUP} or {@link Mode#DRAFT_MODEL}
 * @param maxDraft  most tokens drafted for one step (1 to 32); the engine adapts the length to what gets accepted
 * @param minNgram  shortest run of the latest tokens that must recur earlier for prompt lookup to draft (1 to 8)
 * @param maxNgram  longest such run tried first (minNgram to 8)
 */
public record Speculation(Mode mode, int maxDraft, int minNgram, int maxNgram) {
    /** Where drafts come from. */
    public enum Mode {
        /** No drafts: one token per step. */
        OFF,
        /**
         * Prompt lookup that backs off: a request whose drafts are mostly refused (text that does not quote its
         * prompt or repeat itself) stops drafting for a while, so it costs next to nothing where it does not help;
         * and it drafts only in a step that decodes its request alone, since a batch of several streams is already
         * doing the work drafts would fill the step with (measured: 4 streams went from 17 to 25 tok/s).
         */
        AUTO,
        /** Drafts from n-grams of the prompt and the output so far whenever one matches (code edits, extraction). */
        PROMPT_LOOKUP,
        /**
         * Greedy drafts from the engine's draft model: a smaller model with the same vocabulary, loaded beside the
         * target ({@code LlamaEngine.start(model, params, draft)}). A request that asks for it from an engine without
         * one fails, saying so.
         */
        DRAFT_MODEL
    }

    public Speculation {
        java.util.Objects.requireNonNull(mode, "mode");
        if (maxDraft < 1 || maxDraft > 32 || minNgram < 1 || maxNgram < minNgram || maxNgram > 8) {
            throw new IllegalArgumentException("speculation needs maxDraft from 1 to 32 and 1 <= minNgram <= maxNgram"
                    + " <= 8, not maxDraft " + maxDraft + ", n-grams " + minNgram + " to " + maxNgram);
        }
    }

    /** The default: {@link Mode#AUTO}, up to 8 tokens a step, n-grams of 2 to 4 tokens. */
    public static Speculation auto() {
        return new Speculation(Mode.AUTO, 8, 2, 4);
    }

    public static Speculation off() {
        return new Speculation(Mode.OFF, 8, 2, 4);
    }

    /** Prompt lookup that always drafts when an n-gram matches, up to {@code maxDraft} tokens a step. */
    public static Speculation promptLookup(int maxDraft) {
        return new Speculation(Mode.PROMPT_LOOKUP, maxDraft, 2, 4);
    }

    /** Greedy drafts of up to {@code maxDraft} tokens a step from the engine's draft model. */
    public static Speculation draftModel(int maxDraft) {
        return new Speculation(Mode.DRAFT_MODEL, maxDraft, 2, 4);
    }

    public boolean isOff() {
        return mode == Mode.OFF;
    }

    /** Parses a request's setting: off, auto, prompt-lookup[:N] or draft-model[:N] (N tokens a step). */
    public static Speculation parse(String text) {
        return of(dev.hearth.api.SpeculationSetting.parse(text));
    }

    /** A request's or a model's setting as the engine's: n-grams of 2 to 4 tokens for prompt lookup. */
    public static Speculation of(dev.hearth.api.SpeculationSetting s) {
        return new Speculation(Mode.valueOf(s.mode().name()), s.maxDraft(), 2, 4);
    }
}
