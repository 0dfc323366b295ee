package dev.hearth.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * A spending limit for one scope and period, with an optional soft limit that records one event (and a log line) the
 * first time a period's spend plus reservations reach it. Amounts are US dollars, exact to the nano-dollar.
 */
public record Budget(Scope scope, Period period, BigDecimal limitUsd, BigDecimal softLimitUsd) {
    /** Who a budget applies to. */
    public enum ScopeKind {
        GLOBAL, KEY, AGENT, PROVIDER, MODEL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A scope: a kind and a name (an API key's name, an agent, a provider, a model; {@code *} for global). */
    public record Scope(ScopeKind kind, String name) implements Comparable<Scope> {
        public static final Scope GLOBAL = new Scope(ScopeKind.GLOBAL, "*");

        public Scope {
            Objects.requireNonNull(kind, "kind");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a " + kind.label() + " budget scope needs a name (the "
                        + kind.label() + "'s name)");
            }
            if (kind == ScopeKind.GLOBAL && !name.equals("*")) {
                throw new IllegalArgumentException("the global scope is named *, not " + name);
            }
        }

        /**
         * A scope as a user writes it: {@code global}, or {@code KIND:NAME} with KIND one of key, agent, provider,
         * model (e.g. {@code provider:anthropic}).
         */
        public static Scope parse(String text) {
            String t = text == null ? "" : text.strip();
            if (t.equalsIgnoreCase("global")) {
                return GLOBAL;
            }
            int colon = t.indexOf(':');
            ScopeKind kind = null;
            if (colon > 0) {
                try {
                    kind = ScopeKind.valueOf(t.substring(0, colon).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    kind = null;
                }
            }
            if (kind == null || kind == ScopeKind.GLOBAL || colon == t.length() - 1) {
                throw new IllegalArgumentException("a budget's scope is global, or key:NAME, agent:NAME,"
                        + " provider:NAME or model:NAME (e.g. provider:anthropic); got '" + t + "'");
            }
            return new Scope(kind, t.substring(colon + 1));
        }

        public static Scope key(String name) {
            return new Scope(ScopeKind.KEY, name);
        }

        public static Scope agent(String name) {
            return new Scope(ScopeKind.AGENT, name);
        }

        public static Scope provider(String name) {
            return new Scope(ScopeKind.PROVIDER, name);
        }

        public static Scope model(String name) {
            return new Scope(ScopeKind.MODEL, name);
        }

        @Override
        public int compareTo(Scope o) {
            int c = kind.compareTo(o.kind);
            return c != 0 ? c : name.compareTo(o.name);
        }

        @Override
        public String toString() {
            return kind == ScopeKind.GLOBAL ? "global" : kind.label() + " " + name;
        }
    }

    /** A budget's period, in UTC: a day, or a calendar month. */
    public enum Period {
        DAY, MONTH;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A period as a user writes it ({@code day} or {@code month}); null is a month. */
        public static Period parse(String text) {
            if (text == null) {
                return MONTH;
            }
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a budget's period is day or month; got '" + text + "'");
            }
        }

        /** The period that holds {@code at}: {@code 2026-11-30} for a day, {@code 2026-11} for a month. */
        public String keyAt(Instant at) {
            var date = at.atOffset(ZoneOffset.UTC).toLocalDate();
            return this == DAY ? date.toString() : date.toString().substring(0, 7);
        }
    }

    public Budget {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        if (limitUsd == null || limitUsd.signum() < 0) {
            throw new IllegalArgumentException("a budget's limit must be zero or more US dollars; got " + limitUsd
                    + " for " + scope);
        }
        if (softLimitUsd != null && (softLimitUsd.signum() < 0 || softLimitUsd.compareTo(limitUsd) > 0)) {
            throw new IllegalArgumentException("a soft limit must lie between 0 and the limit ($"
                    + limitUsd.toPlainString() + "); got $" + softLimitUsd.toPlainString() + " for " + scope);
        }
    }

    /** A budget without a soft limit. */
    public static Budget of(Scope scope, Period period, BigDecimal limitUsd) {
        return new Budget(scope, period, limitUsd, null);
    }

    public Budget withSoftLimit(BigDecimal softUsd) {
        return new Budget(scope, period, limitUsd, softUsd);
    }
}
