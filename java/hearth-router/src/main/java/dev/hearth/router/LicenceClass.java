package dev.hearth.router;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model's licence lets its users do, ordered from the fewest restrictions to the most unknown: the one table
 * that classifies a licence name. {@link #PERMISSIVE}: no restriction on use (Apache-2.0, MIT, BSD, ...);
 * {@link #OPEN_WEIGHTS}: weights anyone may run under a use policy (Llama, Gemma, Qwen, OpenRAIL; and
 * {@code proprietary-api}, a vendor's model used through its API under its terms, which are use restrictions of the
 * same kind); {@link #RESEARCH}: not for commercial use (CC-BY-NC, research licences); {@link #UNKNOWN}: anything
 * else, or no licence found.
 */
public enum LicenceClass {
    PERMISSIVE("permissive"), OPEN_WEIGHTS("open-weights"), RESEARCH("research"), UNKNOWN("any");

    /** What a remote vendor's model is licensed as when the configuration says nothing else. */
    public static final String PROPRIETARY_API = "proprietary-api";

    private static final List<String> PERMISSIVE_NAMES = List.of("apache-2.0", "apache2", "apache-2", "mit", "bsd",
            "bsd-2-clause", "bsd-3-clause", "0bsd", "isc", "unlicense", "cc0-1.0", "cc-by-4.0", "cc-by-sa-4.0", "mpl-2.0",
            "zlib", "bsl-1.0");
    /** Checked before the open-weights prefixes: a research licence of a family that also has an open one. */
    private static final List<String> RESEARCH_PREFIXES = List.of("cc-by-nc", "qwen-research", "mrl",
            "mistral-research", "research", "non-commercial", "noncommercial", "apple-amlr");
    private static final List<String> OPEN_WEIGHTS_PREFIXES = List.of("llama", "gemma", "qwen", "tongyi-qianwen",
            "deepseek", "openrail", "creativeml-openrail", "bigscience-openrail", "bigscience-bloom-rail",
            "bigcode-openrail", "falcon", "yi-license", "nvidia-open-model", PROPRIETARY_API);
    private static final Map<String, LicenceClass> BY_LEVEL = Map.of("permissive", PERMISSIVE, "open-weights",
            OPEN_WEIGHTS, "research", RESEARCH, "any", UNKNOWN);

    private final String level;

    LicenceClass(String level) {
        this.level = level;
    }

    /** The name of this class as a level ({@code HEARTH_LICENSE_LEVEL}): permissive, open-weights, research, any. */
    public String level() {
        return level;
    }

    /** The class of a licence name (case, spaces and underscores do not matter); null or blank is unknown. */
    public static LicenceClass of(String licence) {
        String n = normalised(licence);
        if (n.isEmpty()) {
            return UNKNOWN;
        }
        if (PERMISSIVE_NAMES.contains(n)) {
            return PERMISSIVE;
        }
        if (RESEARCH_PREFIXES.stream().anyMatch(n::startsWith)) {
            return RESEARCH;
        }
        if (OPEN_WEIGHTS_PREFIXES.stream().anyMatch(n::startsWith)) {
            return OPEN_WEIGHTS;
        }
        return UNKNOWN;
    }

    /** A licence name as compared: lower case, spaces and underscores as hyphens. */
    static String normalised(String licence) {
        return licence == null ? "" : licence.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
    }

    /** The class a level names; an unknown level fails with the choices. */
    public static LicenceClass level(String name) {
        LicenceClass c = BY_LEVEL.get(normalised(name));
        if (c == null) {
            throw new IllegalArgumentException("HEARTH_LICENSE_LEVEL must be permissive, open-weights, research or any,"
                    + " not \"" + name + "\"");
        }
        return c;
    }
}
