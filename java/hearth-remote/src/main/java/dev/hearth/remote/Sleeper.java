package dev.hearth.remote;

import java.time.Duration;

/** Waits between retries; injected so that tests check the waits without sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d);

    void sleep(Duration duration) throws InterruptedException;
}
