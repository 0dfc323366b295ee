package dev.hearth.api;

import java.util.Locale;
import java.util.Map;

/**
 * The one reader of on/off settings (HEARTH_ALLOW_EXTERNAL, LOCAL_LLM_ENABLED, HEARTH_PREFER_LOCAL,
 * HEARTH_ONNX_CUDA, ...): {@code true/false}, {@code 1/0}, {@code yes/no} and {@code on/off}, in any case and with
 * spaces around them. Anything else is refused with the variable's name, never read as one or the other.
 */
public final class Settings {
    /** The spellings a flag takes, for messages. */
    public static final String FLAG_SPELLINGS = "true or false (also 1/0, yes/no, on/off)";

    private Settings() {
    }

    /** The flag {@code name} in {@code env}; {@code unset} when it is absent or blank. */
    public static boolean flag(Map<String, String> env, String name, boolean unset) {
        String value = env.get(name);
        return value == null || value.isBlank() ? unset : flag(name, value);
    }

    /** {@code value} read as a flag; refused, naming {@code name}, when it is none of the spellings. */
    public static boolean flag(String name, String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be " + FLAG_SPELLINGS + ", not \"" + value
                    + "\"; set it to one of those, or unset it for the default");
        };
    }
}
