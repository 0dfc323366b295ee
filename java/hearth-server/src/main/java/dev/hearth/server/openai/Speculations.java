package dev.hearth.server.openai;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.SpeculationSetting;

/**
 * Hearth's {@code hearth_speculation} extension field, the same on every face (OpenAI, Anthropic, Ollama; like
 * {@code hearth_tournament}, a top-level field no vendor uses): speculative decoding for a local model, as
 * {@link SpeculationSetting#parse} reads it; absent or null, the model's own setting.
 */
public final class Speculations {
    /** The field's name. */
    public static final String FIELD = "hearth_speculation";

    private Speculations() {
    }

    /** {@code request} with the body's setting, if it gives one; a value it does not know is refused naming both. */
    public static ChatRequest read(Fields f, ChatRequest request) {
        String text = f.string(FIELD);
        if (text == null) {
            return request;
        }
        try {
            return request.withSpeculation(SpeculationSetting.parse(text));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(f.at(FIELD), f.at(FIELD) + " must be " + SpeculationSetting.CHOICES + ", not \""
                    + text + "\"");
        }
    }
}
