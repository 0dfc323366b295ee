package dev.hearth.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** {@link ResponseCache#inMemory}: a map and an age order, under one lock (a lookup is a map read). */
final class MemoryResponseCache implements ResponseCache {
    private static final Comparator<Entry> AGE = Comparator.comparing(Entry::storedAt).thenComparing(Entry::key);

    private final int maxEntries;
    private final Map<String, Entry> byKey = new HashMap<>(); // guarded by this
    private final TreeSet<Entry> byAge = new TreeSet<>(AGE); // guarded by this

    MemoryResponseCache(int maxEntries) {
        this.maxEntries = ResponseCache.checkBound(maxEntries);
    }

    @Override
    public synchronized Optional<Entry> get(String key, Instant now) {
        return Optional.ofNullable(byKey.get(key)).filter(e -> e.liveAt(now));
    }

    @Override
    public synchronized List<Entry> similar(String similarKey, Instant now, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : byAge.descendingSet()) {
            if (out.size() >= limit) {
                break;
            }
            if (similarKey.equals(e.similarKey()) && e.liveAt(now)) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public synchronized void put(Entry entry) {
        remove(entry.key());
        byKey.put(entry.key(), entry);
        byAge.add(entry);
        // the oldest first: with one time-to-live they also expire first (a read skips any expired one left behind)
        while (!byAge.isEmpty() && !byAge.first().liveAt(entry.storedAt())) {
            byKey.remove(byAge.pollFirst().key());
        }
        while (byAge.size() > maxEntries) {
            byKey.remove(byAge.pollFirst().key());
        }
    }

    @Override
    public synchronized boolean remove(String key) {
        Entry old = byKey.remove(key);
        if (old != null) {
            byAge.remove(old);
        }
        return old != null;
    }

    @Override
    public synchronized int size() {
        return byKey.size();
    }

    @Override
    public synchronized int clear() {
        int n = byKey.size();
        byKey.clear();
        byAge.clear();
        return n;
    }

    @Override
    public String toString() {
        return "ResponseCache[memory, at most " + maxEntries + "]";
    }
}
