package dev.hearth.remote;

import java.time.Duration;

/**
 * The deadlines of one remote call.
 *
 * @param connect     to open the connection
 * @param firstToken  from sending the request to the first token of the answer
 * @param idle        between two chunks of a stream once it flows
 * @param total       for the whole answer
 */
public record Timeouts(Duration connect, Duration firstToken, Duration idle, Duration total) {
    public Timeouts {
        for (Duration d : new Duration[] {connect, firstToken, idle, total}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every timeout must be positive");
            }
        }
    }

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(60),
                Duration.ofMinutes(15));
    }

    public Timeouts withConnect(Duration d) {
        return new Timeouts(d, firstToken, idle, total);
    }

    public Timeouts withFirstToken(Duration d) {
        return new Timeouts(connect, d, idle, total);
    }

    public Timeouts withIdle(Duration d) {
        return new Timeouts(connect, firstToken, d, total);
    }

    public Timeouts withTotal(Duration d) {
        return new Timeouts(connect, firstToken, idle, d);
    }
}
