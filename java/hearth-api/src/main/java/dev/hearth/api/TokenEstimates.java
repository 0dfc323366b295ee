package dev.hearth.api;

/**
 * Token counts where no tokenizer is at hand (a remote model's): about four characters a token, plus a few tokens of
 * framing per message. The router sizes requests with it, and a call its caller left is recorded with it when the
 * vendor had not yet said what it counted.
 */
public final class TokenEstimates {
    private TokenEstimates() {
    }

    /** The tokens of a piece of text. */
    public static long ofText(CharSequence text) {
        return text == null ? 0 : text.length() / 4;
    }

    /** The input tokens of a request: its messages' text and their framing. */
    public static long ofRequest(ChatRequest r) {
        long chars = r.messages().stream().mapToLong(m -> m.content().length()).sum();
        return chars / 4 + 8L * r.messages().size();
    }
}
