package dev.hearth.router;

/**
 * What a caller asks of one decision beyond its request: a preset, and who the conversation is (a lock on its model
 * applies to it).
 *
 * @param preset  a preset's name, or null for the configured one (HEARTH_PRESET)
 * @param session the conversation's id, or null: no conversation lock applies, and none is taken
 * @param key     the caller's API key name, or null: a lock on the key applies to its requests
 */
public record RouteOptions(String preset, String session, String key) {
    public RouteOptions {
        preset = blankAsNull(preset);
        session = blankAsNull(session);
        key = blankAsNull(key);
    }

    public static RouteOptions defaults() {
        return new RouteOptions(null, null, null);
    }

    public RouteOptions withPreset(String p) {
        return new RouteOptions(p, session, key);
    }

    public RouteOptions withSession(String s) {
        return new RouteOptions(preset, s, key);
    }

    public RouteOptions withKey(String k) {
        return new RouteOptions(preset, session, k);
    }

    private static String blankAsNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
