package dev.hearth.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in text before it may leave the machine: vendor API keys (Anthropic, OpenAI, DeepSeek, AWS,
 * GitHub, Slack, Google, Stripe), private keys, JWTs, bearer and basic credentials, passwords in connection strings,
 * on command lines ({@code mysql -p...}), in assignments of code and configuration ({@code String secretKey = "..."},
 * {@code PASSWORD=...}, {@code "api_key": "..."}) and in prose ("my password is ..."), and an AWS secret key beside
 * its access key id. Tuned against look-alikes that must not trigger (placeholders, hashes, UUIDs, public keys, URLs
 * without passwords, variables assigned in code, ordinary sentences about passwords and keys). Stateless and
 * thread-safe.
 */
public final class SecretScanner {
    /** One credential found: what kind, and where (the secret itself is the text between start and end). */
    public record Finding(String kind, int start, int end) {
    }

    /** Whether a match is a secret, given the whole text it was found in. */
    @FunctionalInterface
    private interface Accept {
        boolean test(Matcher m, String text);
    }

    /** A pattern whose last matching group (or the whole match) is the secret when {@code accept} says so. */
    private record Detector(String kind, Pattern pattern, Accept accept) {
    }

    /** A name that holds a secret: password, secret, api key, access or auth token, private key, ... */
    private static final String SECRET_NAME = "(?:pass(?:word|wd|phrase|code)|pwd|secret|api[_-]?key|access[_-]?key"
            + "|(?:access|auth|refresh|session|bearer|api)[_-]?token|private[_-]?key)";
    /** What a name holding something else about a secret ends with (its length, where it is, its variable, ...). */
    private static final Pattern NOT_THE_SECRET = Pattern.compile("(?i).*(?:length|len|min|max|policy|field|label"
            + "|hint|prompt|url|uri|path|file|name|id|type|format|env|var|variable|header|param|count|expires?|expiry"
            + "|ttl|rotation|reset|strength|hash|manager|store|s)");
    private static final Pattern SECRET_WORD = Pattern.compile("(?i)" + SECRET_NAME);
    /** Values that say what a secret is like, not what it is. */
    private static final Set<String> NOT_SECRETS = Set.of("null", "none", "nil", "true", "false", "undefined",
            "string", "str", "required", "optional", "hidden", "redacted", "masked", "secret", "password", "passwd",
            "empty", "todo", "tbd", "n/a", "default", "env", "unset", "omitted", "provided", "missing", "invalid");
    /** An assignment: a secret's name, maybe a type ({@code : string}), an operator, and a quoted or bare value. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?i)(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]*?" + SECRET_NAME
            + "[A-Za-z0-9_]*)([\"'`]?)(?:\\s*:\\s*[A-Za-z_][\\w<>\\[\\]]*(?=\\s*=))?\\s*(:=|=>|[:=])\\s*"
            + "(?:([\"'`])([^\"'`\\n]{6,200})\\4|([^\\s\"'`<>{}()\\[\\],;*]{6,}))");
    private static final Pattern AWS_ACCESS_KEY = Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b");

    private static final List<Detector> DETECTORS = List.of(
            d("private key", "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
                    + "[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|$)", (m, t) -> true),
            d("Anthropic API key", "\\bsk-ant-[A-Za-z0-9_-]{20,}", (m, t) -> true),
            d("OpenAI API key", "\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}", (m, t) -> true),
            d("AWS access key id", AWS_ACCESS_KEY.pattern(), (m, t) -> true),
            // the secret beside its key id, even AWS's documented example: what goes with a redacted id goes too
            d("AWS secret access key", "(?i)aws_secret_access_key\\s*[=:]\\s*['\"]?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
                    (m, t) -> true),
            d("AWS secret access key", "(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
                    (m, t) -> awsSecretShape(m.group(1)) && AWS_ACCESS_KEY.matcher(t).find()),
            d("GitHub token", "\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\\b", (m, t) -> true),
            d("Slack token", "\\bxox[abprs]-[A-Za-z0-9-]{10,}", (m, t) -> true),
            d("Google API key", "\\bAIza[0-9A-Za-z_-]{35}\\b", (m, t) -> true),
            d("Stripe secret key", "\\b(?:sk|rk)_live_[0-9A-Za-z]{20,}", (m, t) -> true),
            d("JSON Web Token", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}", (m, t) -> true),
            d("bearer token", "(?<![A-Za-z])Bearer\\s+([A-Za-z0-9._~+/-]{20,}=*)",
                    (m, t) -> secretLike(m.group(1)) && hasDigit(m.group(1))),
            d("basic credentials", "(?i)authorization\\s*:\\s*basic\\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])",
                    (m, t) -> true),
            d("password in a connection string",
                    "\\b[a-z][a-z0-9+.-]*://[^:/@\\s]+:([^@\\s/]{3,})@[^\\s]+", (m, t) -> secretLike(m.group(1))),
            // values starting with '[' are left alone: that is how a redaction (and many placeholders) look
            d("password in a JDBC URL", "(?i)[;?&]password=([^&;\\s\\[][^&;\\s]{2,})", (m, t) -> secretLike(m.group(1))),
            d("password on a command line", "\\b(?:mysql(?:dump|admin|import|show|check|slap)?\\b[^\\n|;&]*?\\s-p"
                    + "|sshpass\\s+-p\\s*)('[^'\\n]+'|\"[^\"\\n]+\"|[^\\s'\"]{3,})", (m, t) -> secretLike(m.group(1))),
            new Detector("secret in an assignment", ASSIGNMENT, SecretScanner::assigned),
            d("password in a sentence", "(?i)\\b(?:password|passphrase|passcode|pin|pwd)\\s+(?:is|was)\\s*:?\\s+"
                    + "[\"'`]?([^\\s\"'`]{4,}?)[.,;:!?\"'`]*(?=\\s|$)", (m, t) -> spoken(m.group(1))));

    private static Detector d(String kind, String regex, Accept accept) {
        return new Detector(kind, Pattern.compile(regex), accept);
    }

    public List<Finding> scan(String text) {
        List<Finding> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (Detector d : DETECTORS) {
            Matcher m = d.pattern().matcher(text);
            while (m.find()) {
                int g = secretGroup(m);
                int s = m.start(g), e = m.end(g);
                if (!d.accept().test(m, text)) {
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

    /** The last group that took part in the match: the secret; the whole match where there is none. */
    private static int secretGroup(Matcher m) {
        for (int g = m.groupCount(); g >= 1; g--) {
            if (m.start(g) >= 0) {
                return g;
            }
        }
        return 0;
    }

    /**
     * An assignment whose value is a literal secret: quoted, or bare where bare values are literals (an environment
     * file's {@code PASSWORD=...}, YAML's {@code password: ...}) and it has a digit or a symbol. Not a variable or
     * call in code ({@code password = userInput}, {@code config.password}, {@code os.getenv(...)}), not a name that
     * holds something about a secret ({@code password_min_length}, {@code api_key_env}), not a word that describes
     * one ({@code required}, {@code string}) and not a placeholder.
     */
    private static boolean assigned(Matcher m, String text) {
        String name = m.group(1);
        Matcher word = SECRET_WORD.matcher(name);
        int end = 0;
        while (word.find()) {
            end = word.end();
        }
        String suffix = name.substring(end).replaceFirst("^[_-]", "");
        if (!suffix.isEmpty() && NOT_THE_SECRET.matcher(suffix).matches()) {
            return false; // api_key_env, password_min_length, secret_name: about a secret, not one
        }
        boolean quoted = m.group(5) != null;
        String value = quoted ? m.group(5) : m.group(6);
        if (!secretLike(value) || NOT_SECRETS.contains(value.strip().toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (value.startsWith("/") || value.startsWith("~/") || value.startsWith("./")) {
            return false; // a path: where a secret is kept, or the shell's PWD
        }
        if (value.matches("(?i)https?://[^@]*")) {
            return false; // a URL without credentials
        }
        if (quoted) {
            return true;
        }
        int after = m.end(6);
        if (after < text.length() && text.charAt(after) == '(') {
            return false; // a call
        }
        if (value.matches("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)+")) {
            return false; // a field or a dotted path: config.password, process.env.API_KEY
        }
        boolean envStyle = name.equals(name.toUpperCase(Locale.ROOT)) && m.group(3).equals("=");
        return envStyle || !value.matches("[A-Za-z_]+");
    }

    /** A word after "password is" that is a password, not a word about one: a digit, a symbol, or inner capitals. */
    private static boolean spoken(String word) {
        if (!secretLike(word) && !word.matches("\\d{4,}")) {
            return false;
        }
        if (NOT_SECRETS.contains(word.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return hasDigit(word) || !word.matches("[\\p{L}'-]+") || word.substring(1).chars().anyMatch(Character::isUpperCase)
                && word.chars().anyMatch(Character::isLowerCase);
    }

    /** Forty characters of base64 with capitals, small letters and a digit or slash: an AWS secret key's shape. */
    private static boolean awsSecretShape(String v) {
        return v.chars().anyMatch(Character::isUpperCase) && v.chars().anyMatch(Character::isLowerCase)
                && v.chars().anyMatch(c -> Character.isDigit(c) || c == '/' || c == '+');
    }

    private static boolean hasDigit(String v) {
        return v.chars().anyMatch(Character::isDigit);
    }

    /** A value that looks like a real secret, not a placeholder: not all one character, not a template. */
    private static boolean secretLike(String v) {
        String bare = v.replaceAll("^['\"]|['\"]$", "");
        if (bare.chars().distinct().count() < 4) {
            return false; // ********, xxxxxxxx
        }
        String lower = bare.toLowerCase(Locale.ROOT);
        return !(lower.contains("your") || lower.contains("example") || lower.contains("changeme")
                || lower.contains("placeholder") || lower.startsWith("$") || lower.startsWith("%")
                || lower.contains("${") || lower.startsWith("<") || lower.startsWith("{{") || lower.startsWith("["));
    }
}
