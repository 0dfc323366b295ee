package dev.hearth.api;

import java.util.Locale;
import java.util.Objects;

/**
 * What a request or a local model's configuration asks of speculative decoding (drafting tokens ahead and verifying
 * them in one batch, which leaves the output as it would be without): the one reading of its text, {@code off},
 * {@code auto}, {@code prompt-lookup[:N]} or {@code draft-model[:N]} (N: most tokens drafted a step, 1 to 32). The
 * local engine turns it into its own settings; remote models ignore it.
 *
 * @param mode      where drafts come from
 * @param maxDraft  most tokens drafted for one step (1 to 32)
 */
public record SpeculationSetting(Mode mode, int maxDraft) {
    /** The texts {@link #parse} takes, for messages. */
    public static final String CHOICES = "off, auto, prompt-lookup, prompt-lookup:N, draft-model or draft-model:N"
            + " (N = most tokens drafted a step, 1 to 32)";

    /** Where drafts come from. */
    public enum Mode {
        /** No drafts. */
        OFF,
        /** Prompt lookup that backs off where its drafts are mostly refused (the engine's default). */
        AUTO,
        /** Drafts from n-grams of the prompt and the output so far, whenever one matches. */
        PROMPT_LOOKUP,
        /** Greedy drafts from the model's draft model ({@code draft_model} in its hearth.toml [[model]]). */
        DRAFT_MODEL
    }

    public SpeculationSetting {
        Objects.requireNonNull(mode, "mode");
        if (maxDraft < 1 || maxDraft > 32) {
            throw new IllegalArgumentException("speculation drafts from 1 to 32 tokens a step, not " + maxDraft
                    + "; use " + CHOICES);
        }
    }

    /** Reads a setting's text; a text it does not know fails saying what it takes. */
    public static SpeculationSetting parse(String text) {
        Objects.requireNonNull(text, "speculation");
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        SpeculationSetting plain = switch (t) {
            case "off", "none", "false" -> new SpeculationSetting(Mode.OFF, 8);
            case "auto", "true" -> new SpeculationSetting(Mode.AUTO, 8);
            case "prompt-lookup" -> new SpeculationSetting(Mode.PROMPT_LOOKUP, 8);
            case "draft-model" -> new SpeculationSetting(Mode.DRAFT_MODEL, 8);
            default -> null; // prompt-lookup:N or draft-model:N, below
        };
        if (plain != null) {
            return plain;
        }
        int colon = t.indexOf(':');
        String way = colon < 0 ? "" : t.substring(0, colon);
        if (way.equals("prompt-lookup") || way.equals("draft-model")) {
            int n;
            try {
                n = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n >= 1 && n <= 32) {
                return new SpeculationSetting(way.equals("prompt-lookup") ? Mode.PROMPT_LOOKUP : Mode.DRAFT_MODEL, n);
            }
        }
        throw new IllegalArgumentException("unknown speculation '" + text + "'; use " + CHOICES);
    }

    /** The setting as {@link #parse} reads it ({@code prompt-lookup:8}). */
    @Override
    public String toString() {
        String way = mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return mode == Mode.OFF || mode == Mode.AUTO ? way : way + ":" + maxDraft;
    }
}
