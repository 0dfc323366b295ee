package dev.hearth.remote;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One loop that checks the deadlines of every open call, every 10 ms while any is open, and sleeps otherwise: a
 * call costs a set insertion, not a timer thread of its own. Deadlines are therefore kept to within 10 ms.
 */
final class Deadlines {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Set<HttpCall> OPEN = ConcurrentHashMap.newKeySet();
    private static final Thread LOOP = Thread.ofPlatform().daemon().name("hearth-remote-deadlines").unstarted(Deadlines::run);

    static {
        LOOP.start();
    }

    private Deadlines() {
    }

    static void watch(HttpCall call) {
        boolean wasEmpty = OPEN.isEmpty();
        OPEN.add(call);
        if (wasEmpty) {
            LockSupport.unpark(LOOP);
        }
    }

    static void forget(HttpCall call) {
        OPEN.remove(call);
    }

    private static void run() {
        while (true) {
            if (OPEN.isEmpty()) {
                LockSupport.park();
                continue;
            }
            long now = System.nanoTime();
            for (HttpCall call : OPEN) {
                if (call.expired(now)) {
                    OPEN.remove(call);
                }
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }
}
