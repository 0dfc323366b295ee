package dev.hearth.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import dev.hearth.testkit.Workers;
import org.junit.jupiter.api.Test;

class DeviceMemoryTest {
    @Test
    void aBigRequestAtTheHeadIsNotPassedBySmallOnes() throws Exception {
        DeviceMemory mem = new DeviceMemory("gpu", 110, 10);
        DeviceMemory.Lease held = mem.acquire(90, Duration.ofSeconds(1));
        List<String> order = new CopyOnWriteArrayList<>();
        // big and small cannot be held together, so the order they get in is the order they are granted
        Workers workers = new Workers();
        workers.start(() -> grab(mem, 96, "big", order));
        waitUntil(() -> mem.waiting() == 1);
        assertThat(mem.tryAcquire(5)).as("10 bytes are free, but a waiter is first in line").isNull();
        workers.start(() -> grab(mem, 5, "small", order));
        waitUntil(() -> mem.waiting() == 2);
        held.close();
        workers.join();
        assertThat(order).containsExactly("big", "small");
        assertThat(mem.free()).isEqualTo(100);
    }

    @Test
    void aRequestThatCanNeverFitIsRefusedAtOnceWithTheNumbers() {
        DeviceMemory mem = new DeviceMemory("cuda:0", 8L << 30, 1L << 30);
        assertThatThrownBy(() -> mem.acquire(9L << 30, Duration.ofSeconds(1)))
                .isInstanceOf(MemoryUnavailableException.class).hasMessageContaining("cuda:0 can never hold 9216.0 MiB")
                .hasMessageContaining("budget is 7168.0 MiB");
    }

    @Test
    void aDeadlineOrAnInterruptLeavesNothingGrantedAndLetsThoseBehindIn() throws Exception {
        DeviceMemory mem = new DeviceMemory("cpu", 100, 0);
        DeviceMemory.Lease held = mem.acquire(60, Duration.ofSeconds(1));
        assertThatThrownBy(() -> mem.acquire(50, Duration.ofMillis(20)))
                .isInstanceOf(MemoryUnavailableException.class).hasMessageContaining("not free within 20 ms");
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread interrupted = Thread.ofVirtual().start(() -> {
            try {
                outcome.set(mem.acquire(80, Duration.ofMinutes(1))); // a lease here is the failure
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        waitUntil(() -> mem.waiting() == 1);
        interrupted.interrupt();
        interrupted.join();
        assertThat(outcome.get()).as("the interrupt ended the wait").isInstanceOf(InterruptedException.class);
        assertThat(mem.waiting()).isZero();
        assertThat(mem.tryAcquire(40)).isNotNull();
        held.close();
        held.close(); // twice: returned once
        assertThat(mem.free()).isEqualTo(60);
    }

    @Test
    void tenThousandRandomOperationsEndWithEveryPermitBackAndNobodyWaiting() throws Exception {
        DeviceMemory mem = new DeviceMemory("gpu", 1000, 0);
        AtomicInteger granted = new AtomicInteger(), timedOut = new AtomicInteger(), interrupted = new AtomicInteger(),
                failedLoads = new AtomicInteger(), certainTimeouts = new AtomicInteger();
        Workers workers = new Workers(); // an assertion that fails in a worker is rethrown by join()
        for (int t = 0; t < 8; t++) {
            long seed = t;
            workers.start(Thread.ofPlatform(), () -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (int i = 0; i < 1250; i++) {
                    long bytes = 1 + r.nextInt(400);
                    if (r.nextInt(20) == 0) {
                        Thread.currentThread().interrupt(); // interrupted before asking: must end in nothing granted
                    }
                    try (DeviceMemory.Lease lease = mem.acquire(bytes, Duration.ofMillis(r.nextInt(3)))) {
                        granted.incrementAndGet();
                        assertThat(mem.free()).isBetween(0L, 1000L - lease.bytes());
                        if (r.nextInt(20) == 0) {
                            try {
                                mem.acquire(1000, Duration.ZERO); // cannot fit while this lease is held
                                throw new AssertionError("granted the whole device while a lease was open");
                            } catch (MemoryUnavailableException e) {
                                certainTimeouts.incrementAndGet();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt(); // the next acquire reports it
                            }
                        }
                        if (r.nextInt(10) == 0) {
                            throw new IllegalStateException("a load that fails");
                        }
                        if (r.nextInt(4) == 0) {
                            Thread.onSpinWait();
                        }
                    } catch (MemoryUnavailableException e) {
                        timedOut.incrementAndGet();
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    } catch (IllegalStateException e) {
                        failedLoads.incrementAndGet();
                    }
                }
            });
        }
        Thread interrupter = Thread.ofPlatform().start(() -> {
            SplittableRandom r = new SplittableRandom(99);
            List<Thread> threads = workers.threads();
            while (workers.anyAlive()) {
                threads.get(r.nextInt(threads.size())).interrupt();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        workers.join();
        interrupter.join();
        Thread.interrupted();
        assertThat(granted.get() + timedOut.get() + interrupted.get()).isEqualTo(10_000);
        assertThat(granted.get()).isPositive();
        assertThat(certainTimeouts.get()).isPositive();
        assertThat(interrupted.get()).isPositive();
        assertThat(failedLoads.get()).isPositive();
        assertThat(mem.free()).isEqualTo(1000);
        assertThat(mem.waiting()).isZero();
    }

    private static void grab(DeviceMemory mem, long bytes, String name, List<String> order) throws InterruptedException {
        DeviceMemory.Lease l = mem.acquire(bytes, Duration.ofSeconds(10));
        order.add(name);
        l.close();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }
}
