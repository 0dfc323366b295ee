package dev.hearth.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Virtual API keys for Hearth's server. A key's secret is shown once, by {@link #create}; the ledger keeps only its
 * SHA-256 and a short prefix for display. Thread-safe.
 */
public interface ApiKeys {
    /**
     * What a new key may do: a monthly budget in US dollars (null: none; set as the key's {@code MONTH} budget),
     * requests and tokens per minute (null: unlimited), the models it may use (empty: any), whether its requests
     * may leave the machine, and whether it may use the admin API.
     */
    record KeySpec(String name, BigDecimal monthlyUsd, Integer rpm, Integer tpm, List<String> allowedModels,
            boolean allowExternal, boolean admin) {
        public KeySpec {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("a key's name is 1 to 64 letters, digits, '.', '_' or '-'; got '"
                        + name + "'");
            }
            if (monthlyUsd != null && monthlyUsd.signum() < 0) {
                throw new IllegalArgumentException("a key's monthly budget must be zero or more US dollars; got "
                        + monthlyUsd);
            }
            if ((rpm != null && rpm <= 0) || (tpm != null && tpm <= 0)) {
                throw new IllegalArgumentException("rpm and tpm must be positive (leave them out for no limit); got"
                        + " rpm=" + rpm + ", tpm=" + tpm);
            }
            allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
            for (String m : allowedModels) {
                if (m.isBlank() || m.contains(",")) {
                    throw new IllegalArgumentException("allowed model names cannot be blank or hold commas: '" + m
                            + "'");
                }
            }
        }

        /** A key without the admin scope. */
        public KeySpec(String name, BigDecimal monthlyUsd, Integer rpm, Integer tpm, List<String> allowedModels,
                boolean allowExternal) {
            this(name, monthlyUsd, rpm, tpm, allowedModels, allowExternal, false);
        }

        public static KeySpec named(String name) {
            return new KeySpec(name, null, null, null, List.of(), false, false);
        }

        public KeySpec withAdmin(boolean on) {
            return new KeySpec(name, monthlyUsd, rpm, tpm, allowedModels, allowExternal, on);
        }
    }

    /** A stored key: never its secret. {@code revokedAt} is null while the key is valid. */
    record ApiKey(String name, String prefix, Instant createdAt, Instant revokedAt, BigDecimal monthlyUsd,
            Integer rpm, Integer tpm, List<String> allowedModels, boolean allowExternal, boolean admin) {
        public boolean revoked() {
            return revokedAt != null;
        }

        /** What this key may do, as a spec: the starting point of an {@link ApiKeys#update}. */
        public KeySpec spec() {
            return new KeySpec(name, monthlyUsd, rpm, tpm, allowedModels, allowExternal, admin);
        }

        /** Whether this key may use {@code model} (any when its list is empty). */
        public boolean allows(String model) {
            return allowedModels.isEmpty() || allowedModels.contains(model);
        }
    }

    /** A key just made, with the secret that will not be shown again. */
    record CreatedKey(ApiKey key, String secret) {
        @Override
        public String toString() {
            return "CreatedKey[" + key + ", secret=" + key.prefix() + "…]";
        }
    }

    /** Makes a key; a name already taken, even by a revoked key, is an {@link IllegalArgumentException}. */
    CreatedKey create(KeySpec spec);

    /** Every key, revoked ones included, by name. */
    List<ApiKey> list();

    /**
     * Replaces what the valid key named {@code spec.name()} may do (its monthly budget, limits, models, external and
     * admin permissions), keeping its secret; an unknown or revoked key is an {@link IllegalArgumentException}.
     */
    ApiKey update(KeySpec spec);

    /** Revokes the key named {@code name}; an unknown name is an {@link IllegalArgumentException}. */
    ApiKey revoke(String name);

    /** The valid (not revoked) key whose secret is {@code secret}, if any. */
    Optional<ApiKey> lookup(String secret);
}
