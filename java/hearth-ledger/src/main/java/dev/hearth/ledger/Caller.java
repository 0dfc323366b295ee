package dev.hearth.ledger;

/**
 * Who made a call: the API key's name (never its secret), the agent, and a free user tag; each may be null.
 */
public record Caller(String keyName, String agent, String userTag) {
    public static final Caller ANONYMOUS = new Caller(null, null, null);
}
