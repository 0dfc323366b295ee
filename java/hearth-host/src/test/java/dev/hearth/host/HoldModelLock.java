package dev.hearth.host;

import java.nio.file.Path;

/** Another process that holds a model name's lock until it is killed: {@code HoldModelLock CACHE_DIR NAME}. */
public final class HoldModelLock {
    private HoldModelLock() {
    }

    @SuppressWarnings("try") // the lock is held by being open
    public static void main(String[] args) throws Exception {
        try (ModelStore.Lock lock = new ModelStore(Path.of(args[0])).lock(args[1], "pulled")) {
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
