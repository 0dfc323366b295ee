package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ledger.ApiKeys;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key lookups against a real ledger, remembered for the TTL on a clock the test moves. */
class KeyRingTest {
    @TempDir
    Path dir;
    private long now = 0;

    @Test
    void aSecretsAnswerIsRememberedAndARevocationIsSeenOnceTheTtlPasses() {
        try (Ledger ledger = Ledger.open(LedgerConfig.of(new LedgerConfig.Sqlite(dir.resolve("ledger.db"))))) {
            AtomicInteger asked = new AtomicInteger();
            KeyRing ring = new KeyRing(() -> {
                asked.incrementAndGet();
                return ledger.keys();
            }, Duration.ofSeconds(5), () -> now);
            assertThat(ring.required()).isFalse();
            String secret = ledger.keys().create(ApiKeys.KeySpec.named("app")).secret();
            assertThat(ring.required()).as("remembered for the TTL").isFalse();
            now += Duration.ofSeconds(6).toNanos();
            assertThat(ring.required()).isTrue();

            assertThat(ring.verify(secret)).hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("app"));
            int lookups = asked.get();
            assertThat(ring.verify(secret)).isPresent();
            assertThat(asked.get()).as("the second check asked nothing of the ledger").isEqualTo(lookups);

            ledger.keys().revoke("app");
            now += Duration.ofSeconds(6).toNanos();
            assertThat(ring.verify(secret)).isEmpty();
            assertThat(ring.required()).as("a revoked key keeps the server closed").isTrue();
            assertThat(ring.verify("hk-made-up")).isEmpty();
        }
    }
}
