package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** API keys: the secret shown once and stored only as a hash; list, revoke, look up; on both stores. */
class ApiKeysTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createsAKeyWhoseSecretIsShownOnceAndFoundByLookup(StoreKind kind) throws Exception {
        LedgerConfig config = kind.config(dir);
        try (Ledger ledger = Ledger.open(config, clock)) {
            var spec = new ApiKeys.KeySpec("team-a", new BigDecimal("25"), 60, 100000, List.of("qwen", "claude"),
                    true);
            ApiKeys.CreatedKey created = ledger.keys().create(spec);
            String secret = created.secret();
            assertThat(secret).startsWith("hk-").hasSizeGreaterThan(40);
            assertThat(created.key().prefix()).isEqualTo(secret.substring(0, 10));
            assertThat(created.toString()).doesNotContain(secret);

            ApiKeys.ApiKey found = ledger.keys().lookup(secret).orElseThrow();
            assertThat(found.name()).isEqualTo("team-a");
            assertThat(found.monthlyUsd()).isEqualByComparingTo("25");
            assertThat(found.rpm()).isEqualTo(60);
            assertThat(found.tpm()).isEqualTo(100000);
            assertThat(found.allowedModels()).containsExactly("qwen", "claude");
            assertThat(found.allows("claude")).isTrue();
            assertThat(found.allows("gpt")).isFalse();
            assertThat(found.allowExternal()).isTrue();
            assertThat(ledger.keys().lookup(secret + "x")).isEmpty();
            assertThat(ledger.keys().lookup("not-a-key")).isEmpty();
            assertThat(ledger.budgets()).extracting(s -> s.budget().scope())
                    .containsExactly(Budget.Scope.key("team-a"));

            try (Connection c = StoreKind.connect(config.store()); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT * FROM api_keys")) {
                while (r.next()) {
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        assertThat(String.valueOf(r.getString(i))).as("column " + r.getMetaData().getColumnName(i))
                                .doesNotContain(secret.substring(10));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listsWithoutSecretsAndRevokes(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String a = ledger.keys().create(ApiKeys.KeySpec.named("a")).secret();
            ledger.keys().create(ApiKeys.KeySpec.named("b"));
            assertThat(ledger.keys().list()).extracting(ApiKeys.ApiKey::name).containsExactly("a", "b");
            assertThat(ledger.keys().list().getFirst().toString()).doesNotContain(a.substring(10));

            ApiKeys.ApiKey revoked = ledger.keys().revoke("a");
            assertThat(revoked.revoked()).isTrue();
            assertThat(revoked.revokedAt()).isEqualTo(clock.instant());
            assertThat(ledger.keys().lookup(a)).isEmpty();
            assertThat(ledger.keys().list()).filteredOn(ApiKeys.ApiKey::revoked).extracting(ApiKeys.ApiKey::name)
                    .containsExactly("a");

            assertThatThrownBy(() -> ledger.keys().revoke("nobody")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no API key is named 'nobody'");
            assertThatThrownBy(() -> ledger.keys().create(ApiKeys.KeySpec.named("a")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        }
    }

    @Test
    void aKeySpecSaysWhatIsWrongWithIt() {
        assertThatThrownBy(() -> ApiKeys.KeySpec.named("has space")).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> new ApiKeys.KeySpec("k", new BigDecimal("-1"), null, null, null, false))
                .hasMessageContaining("zero or more");
        assertThatThrownBy(() -> new ApiKeys.KeySpec("k", null, 0, null, null, false))
                .hasMessageContaining("rpm and tpm must be positive");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUpdateChangesWhatAKeyMayDoKeepsItsSecretAndMovesItsBudget(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String secret = ledger.keys().create(new ApiKeys.KeySpec("ops", new BigDecimal("10"), 60, null,
                    List.of(), false)).secret();
            ApiKeys.ApiKey before = ledger.keys().lookup(secret).orElseThrow();
            assertThat(before.admin()).isFalse();

            ApiKeys.ApiKey after = ledger.keys().update(new ApiKeys.KeySpec("ops", new BigDecimal("5"), 120, 1000,
                    List.of("qwen"), true).withAdmin(true));
            assertThat(after.admin()).isTrue();
            assertThat(after.rpm()).isEqualTo(120);
            assertThat(after.allowedModels()).containsExactly("qwen");
            assertThat(ledger.keys().lookup(secret)).as("the same secret").hasValue(after);
            assertThat(ledger.budgets()).singleElement()
                    .satisfies(b -> assertThat(b.budget().limitUsd()).isEqualByComparingTo("5"));

            ledger.keys().update(after.spec().withAdmin(false));
            ledger.keys().update(new ApiKeys.KeySpec("ops", null, null, null, List.of(), false));
            assertThat(ledger.budgets()).as("the key's budget is lifted with it").isEmpty();

            ledger.keys().revoke("ops");
            assertThatThrownBy(() -> ledger.keys().update(ApiKeys.KeySpec.named("ops")))
                    .hasMessageContaining("no valid API key is named 'ops'");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void operatorsChangesAreKeptInTheAdminTrailWithWhoMadeThem(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            ledger.adminEvent("ops", "hearth.admin.key.revoke", java.util.Map.of("hearth.key", "team-a"));
            clock.advance(java.time.Duration.ofSeconds(1));
            ledger.adminEvent("loopback", "hearth.admin.budget.set", java.util.Map.of("hearth.budget", "global"));
            assertThat(ledger.adminEvents(10)).extracting(TraceEvent::name)
                    .containsExactly("hearth.admin.budget.set", "hearth.admin.key.revoke");
            assertThat(ledger.adminEvents(1)).singleElement().satisfies(e -> assertThat(e.attributes())
                    .containsEntry(GenAi.HEARTH_ACTOR, "loopback").containsEntry("hearth.budget", "global"));
            assertThat(ledger.recentCalls(10)).as("the trail is no call").isEmpty();
        }
    }
}
