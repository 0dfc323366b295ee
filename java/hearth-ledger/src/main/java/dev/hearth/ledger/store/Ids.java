package dev.hearth.ledger.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Call ids: UUIDv7 (RFC 9562), time-ordered by the clock's millisecond, then by a counter within one millisecond of
 * this process, then random. Their text sorts as they were made.
 */
final class Ids {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long sequence;

    Ids(Clock clock) {
        this.clock = clock;
    }

    synchronized String next() {
        long millis = Math.max(clock.millis(), lastMillis);
        if (millis == lastMillis) {
            sequence++;
            if (sequence > 0xFFF) {
                millis++;
                sequence = 0;
            }
        } else {
            sequence = 0;
        }
        lastMillis = millis;
        long high = (millis << 16) | 0x7000L | sequence;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
