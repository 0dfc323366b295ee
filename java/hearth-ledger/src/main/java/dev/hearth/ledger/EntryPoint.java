package dev.hearth.ledger;

import java.util.Locale;

/** Where a call came in. */
public enum EntryPoint {
    JAVA_API, CLI, HTTP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
