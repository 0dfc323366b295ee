package dev.hearth.router;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in text before it may leave the machine: vendor API keys (Anthropic, OpenAI, DeepSeek, AWS,
 * GitHub, Slack, Google, Stripe), private keys, JWTs, and passwords in connection strings and assignments. Tuned
 * against look-alikes (placeholders, hashes, public keys, URLs without passwords) that must not trigger.
 */
public final class SecretScanner {
    /** One credential found: what kind, and where (the secret itself is the text between start and end). */
    public record Finding(String kind, int start, int end) {
    }

    private record Detector(String kind, Pattern pattern, int group) {
    }

    private static final List<Detector> DETECTORS = List.of(
            d("private key", "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
                    + "[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)", 0),
            d("Anthropic API key", "\\bsk-ant-[A-Za-z0-9_-]{20,}", 0),
            d("OpenAI API key", "\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}", 0),
            d("AWS access key id", "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b", 0),
            d("AWS secret access key", "(?i)aws_secret_access_key\\s*[=:]\\s*['\"]?([A-Za-z0-9/+=]{40})\\b", 1),
            d("GitHub token", "\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\\b", 0),
            d("Slack token", "\\bxox[abprs]-[A-Za-z0-9-]{10,}", 0),
            d("Google API key", "\\bAIza[0-9A-Za-z_-]{35}\\b", 0),
            d("Stripe secret key", "\\b(?:sk|rk)_live_[0-9A-Za-z]{20,}", 0),
            d("JSON Web Token", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}", 0),
            d("password in a connection string",
                    "\\b[a-z][a-z0-9+.-]*://[^:/@\\s]+:([^@\\s/]{3,})@[^\\s]+", 1),
            // values starting with '[' are left alone: that is how a redaction (and many placeholders) look
            d("password in a JDBC URL", "(?i)[;?&]password=([^&;\\s\\[][^&;\\s]{2,})", 1),
            d("password assignment", "(?i)(?<![A-Za-z])(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token"
                    + "|auth[_-]?token)\\s*[:=]\\s*['\"]?([^\\s'\"<>{}*\\[][^\\s'\"<>{}*]{7,})", 1));

    private static Detector d(String kind, String regex, int group) {
        return new Detector(kind, Pattern.compile(regex), group);
    }

    public List<Finding> scan(String text) {
        List<Finding> out = new ArrayList<>();
        for (Detector d : DETECTORS) {
            Matcher m = d.pattern().matcher(text);
            while (m.find()) {
                int s = m.start(d.group()), e = m.end(d.group());
                if (d.group() == 1 && !secretLike(text.substring(s, e))) {
                    continue;
                }
                if (out.stream().noneMatch(f -> f.start() < e && s < f.end())) {
                    out.add(new Finding(d.kind(), s, e));
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(Finding::start));
        return out;
    }

    /** The text with every finding replaced by {@code [REDACTED <kind>]}. */
    public String redact(String text, List<Finding> findings) {
        StringBuilder b = new StringBuilder(text);
        for (int i = findings.size() - 1; i >= 0; i--) {
            Finding f = findings.get(i);
            b.replace(f.start(), f.end(), "[REDACTED " + f.kind() + "]");
        }
        return b.toString();
    }

    /** A value that looks like a real secret, not a placeholder: not all one character, not a template. */
    private static boolean secretLike(String v) {
        if (v.chars().distinct().count() < 4) {
            return false; // ********, xxxxxxxx
        }
        String lower = v.toLowerCase(java.util.Locale.ROOT);
        return !(lower.contains("your") || lower.contains("example") || lower.contains("changeme")
                || lower.contains("placeholder") || lower.startsWith("$") || lower.startsWith("%") || lower.contains("${"));
    }
}
