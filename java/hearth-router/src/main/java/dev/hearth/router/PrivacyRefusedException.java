package dev.hearth.router;

import dev.hearth.api.HearthException;
import java.util.List;

/** The request carries credentials and the privacy policy refuses to send it out; nothing was sent. */
public final class PrivacyRefusedException extends HearthException {
    private final List<String> findings;

    public PrivacyRefusedException(String provider, List<String> findings) {
        super("the request carries " + findings.size() + " credential" + (findings.size() == 1 ? "" : "s") + " ("
                + String.join(", ", findings) + "); the privacy policy refuses to send it to " + provider
                + ", and nothing was sent: remove them, use a local model, or set the policy to redact");
        this.findings = List.copyOf(findings);
    }

    /** The kinds of credential found (never the secrets themselves). */
    public List<String> findings() {
        return findings;
    }
}
