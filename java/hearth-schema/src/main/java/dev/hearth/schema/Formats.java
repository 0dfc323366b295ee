package dev.hearth.schema;

import java.util.Map;

/**
 * The string formats a grammar enforces: GBNF for the characters between the quotes, and how long such strings can
 * be. Each grammar produces a subset of what the format allows (calendar dates with February capped at the 28th,
 * seconds below 60, offsets Z or east of UTC (the validator refuses -00:00, and some western offsets), e-mail addresses on common top-level domains) so that every string it produces is valid.
 */
final class Formats {
    record Format(String gbnf, int minLength, int maxLength) {
    }

    private static final String TWO_DIGITS_59 = "[0-5] [0-9]";
    private static final String DATE = "[12] [0-9]{3} \"-\" (( \"0\" [13578] | \"1\" [02] ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"3\" [01] )"
            + " | ( \"0\" [469] | \"11\" ) \"-\" ( \"0\" [1-9] | [12] [0-9] | \"30\" )"
            + " | \"02\" \"-\" ( \"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8] ))";
    private static final String TIME = "( [01] [0-9] | \"2\" [0-3] ) \":\" " + TWO_DIGITS_59 + " \":\" " + TWO_DIGITS_59
            + " ( \".\" [0-9]{1,3} )? ( \"Z\" | \"+\" ( \"0\" [0-9] | \"1\" [0-4] ) \":\" ( \"00\" | \"30\" | \"45\" ) )";
    private static final String HEX = "[0-9a-f]";
    private static final String LABEL = "[a-z] [a-z0-9]{0,14}";
    private static final String OCTET = "( \"25\" [0-5] | \"2\" [0-4] [0-9] | \"1\" [0-9] [0-9] | [1-9] [0-9] | [0-9] )";
    private static final String TLD = "( \"com\" | \"org\" | \"net\" | \"io\" | \"dev\" )";

    private static final Map<String, Format> KNOWN = Map.of(
            "date", new Format(DATE, 10, 10),
            "time", new Format(TIME, 9, 18),
            "date-time", new Format(DATE + " \"T\" " + TIME, 20, 29),
            "uuid", new Format(HEX + "{8} \"-\" " + HEX + "{4} \"-\" " + HEX + "{4} \"-\" " + HEX + "{4} \"-\" " + HEX + "{12}", 36, 36),
            "email", new Format("[a-z0-9]{1,16} ( \".\" [a-z0-9]{1,16} )? \"@\" " + LABEL + " \".\" " + TLD, 7, 54),
            "ipv4", new Format(OCTET + " \".\" " + OCTET + " \".\" " + OCTET + " \".\" " + OCTET, 7, 15),
            "hostname", new Format(LABEL + " ( \".\" " + LABEL + " ){0,2}", 1, 47),
            "uri", new Format("\"https://\" " + LABEL + " \".\" " + TLD + " ( \"/\" [a-z0-9]{1,12} ){0,3}", 13, 70));

    private Formats() {
    }

    /** The format's grammar, or null when Hearth does not enforce that format. */
    static Format of(String name) {
        return KNOWN.get(name);
    }

    static java.util.Set<String> names() {
        return new java.util.TreeSet<>(KNOWN.keySet());
    }
}
