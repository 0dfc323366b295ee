package dev.hearth.runtime;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Fair turns at each local model: at most its engine's slots run at once, and when they are all busy the waiting
 * requests are admitted round-robin across callers (an API key's name, else the agent, else the user tag): the waiting
 * caller whose last turn is the oldest goes next, so one caller that floods a model cannot starve the others; each
 * caller's own requests keep their order. At most
 * {@code maxWaiting} requests wait per model; more are refused at once ({@link QueueFullException}, answered 503 with
 * retry-after by the server). Thread-safe.
 */
final class FairShare {
    /** A turn at a model; closing it lets the next caller in. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    /** Told each time a caller is admitted (for tests and metrics). */
    @FunctionalInterface
    interface Admissions {
        void admitted(String model, String caller);
    }

    private final ToIntFunction<String> slots;
    private final int maxWaiting;
    private final Admissions admissions;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    FairShare(ToIntFunction<String> slots, int maxWaiting, Admissions admissions) {
        this.slots = slots;
        this.maxWaiting = maxWaiting;
        this.admissions = admissions;
    }

    /** Waits for a turn at {@code model} for {@code caller}. */
    Turn enter(String model, String caller) throws InterruptedException {
        Lane lane = lanes.computeIfAbsent(model, m -> new Lane(m, Math.max(1, slots.applyAsInt(m))));
        return lane.enter(caller);
    }

    /** How many requests wait at {@code model} now. */
    int waiting(String model) {
        Lane lane = lanes.get(model);
        return lane == null ? 0 : lane.waiting();
    }

    private final class Lane {
        private final String model;
        private int free;
        private int waiting;
        // each waiting caller's queue, oldest first; and when each caller last had a turn
        private final LinkedHashMap<String, ArrayDeque<Ticket>> queues = new LinkedHashMap<>();
        private final Map<String, Long> lastTurn = new java.util.HashMap<>();
        private long turns;

        Lane(String model, int slots) {
            this.model = model;
            this.free = slots;
        }

        private final class Ticket implements Turn {
            private boolean admitted;
            private boolean closed;

            @Override
            public void close() {
                synchronized (Lane.this) {
                    if (!closed) {
                        closed = true;
                        next();
                    }
                }
            }
        }

        synchronized int waiting() {
            return waiting;
        }

        Turn enter(String caller) throws InterruptedException {
            Ticket t = new Ticket();
            synchronized (this) {
                if (free > 0 && waiting == 0) {
                    free--;
                    t.admitted = true;
                    served(caller);
                } else {
                    if (waiting >= maxWaiting) {
                        throw new QueueFullException(model, waiting);
                    }
                    queues.computeIfAbsent(caller, c -> new ArrayDeque<>()).add(t);
                    waiting++;
                    try {
                        while (!t.admitted) {
                            wait();
                        }
                    } catch (InterruptedException e) {
                        if (t.admitted) { // admitted as it was interrupted: hand the turn on
                            t.close();
                        } else {
                            ArrayDeque<Ticket> q = queues.get(caller);
                            q.remove(t);
                            if (q.isEmpty()) {
                                queues.remove(caller);
                            }
                            waiting--;
                        }
                        throw e;
                    }
                }
            }
            admissions.admitted(model, caller);
            return t;
        }

        // a turn ended: the waiting caller whose last turn is the oldest goes next
        private void next() {
            String next = null;
            long oldest = Long.MAX_VALUE;
            for (String caller : queues.keySet()) {
                long last = lastTurn.getOrDefault(caller, 0L);
                if (last < oldest) {
                    oldest = last;
                    next = caller;
                }
            }
            if (next == null) {
                free++;
                return;
            }
            ArrayDeque<Ticket> q = queues.get(next);
            Ticket t = q.poll();
            if (q.isEmpty()) {
                queues.remove(next);
            }
            waiting--;
            served(next);
            t.admitted = true;
            notifyAll();
        }

        private void served(String caller) {
            if (lastTurn.size() > 4096) { // forget callers that wait for nothing: they start afresh
                lastTurn.keySet().retainAll(queues.keySet());
            }
            lastTurn.put(caller, ++turns);
        }
    }
}
