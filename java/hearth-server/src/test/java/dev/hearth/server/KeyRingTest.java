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

    @Test
    void aBurstWithOneKeyAsksTheLedgerOnce() throws Exception {
        try (Ledger ledger = Ledger.open(LedgerConfig.of(new LedgerConfig.Sqlite(dir.resolve("burst.db"))))) {
            String secret = ledger.keys().create(ApiKeys.KeySpec.named("app")).secret();
            AtomicInteger asked = new AtomicInteger();
            KeyRing ring = new KeyRing(() -> {
                asked.incrementAndGet();
                try {
                    Thread.sleep(200); // a slow ledger: the burst arrives while the first lookup is under way
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ledger.keys();
            }, Duration.ofSeconds(5), () -> now);
            java.util.List<java.util.concurrent.Future<java.util.Optional<ApiKeys.ApiKey>>> answers =
                    new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 50; i++) {
                    answers.add(pool.submit(() -> ring.verify(secret)));
                }
            }
            for (var a : answers) {
                assertThat(a.get()).hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("app"));
            }
            assertThat(asked.get()).as("lookups the ledger served for 50 requests with one key").isEqualTo(1);
        }
    }
}
