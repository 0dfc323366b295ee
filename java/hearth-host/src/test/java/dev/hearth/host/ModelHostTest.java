package dev.hearth.host;

import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.MemoryEstimate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.ManualClock;
import dev.hearth.testkit.Workers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Placement, eviction and keep-alive as tables, with an injected GPU probe, loader, estimator and clock. */
class ModelHostTest {
    static final long GIB = 1L << 30;

    /** Models of round sizes: {@code layers} layers of {@code layerBytes} each (weights and KV), 1 GiB besides. */
    record Size(int layers, long layerBytes) {
    }

    static final class Table implements Estimator {
        final Map<String, Size> sizes = new ConcurrentHashMap<>();

        @Override
        public int layers(ModelSpec spec) {
            return sizes.get(spec.id()).layers();
        }

        @Override
        public MemoryEstimate estimate(ModelSpec spec, int n) {
            Size s = sizes.get(spec.id());
            int onGpu = Math.min(n, s.layers());
            long gpuLayers = onGpu * s.layerBytes(), cpuLayers = (s.layers() - onGpu) * s.layerBytes();
            long other = GIB / 2; // output, compute
            return n > s.layers() ? new MemoryEstimate(gpuLayers + other, GIB / 2, 0, 0, 0, 0, 0)
                    : new MemoryEstimate(gpuLayers, cpuLayers + other + GIB / 2, 0, 0, 0, 0, 0);
        }
    }

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
    final Table table = new Table();
    final List<String> loads = new CopyOnWriteArrayList<>(), unloads = new CopyOnWriteArrayList<>();
    final ModelLoader loader = (spec, placement) -> {
        loads.add(spec.id() + "@" + placement.device() + ":" + placement.gpuLayers());
        return () -> unloads.add(spec.id());
    };

    ModelHost host(long ramGib, long... gpuGib) {
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < gpuGib.length; i++) {
            gpus.add(new Gpu(i, "test GPU " + i, gpuGib[i] * GIB, gpuGib[i] * GIB));
        }
        HostParams p = new HostParams(Duration.ofMinutes(5), ramGib * GIB, 0, true, 1.0, 64);
        return new ModelHost(p, () -> gpus, loader, table, clock);
    }

    ModelHost host(HostParams p, long... gpuGib) {
        List<Gpu> gpus = new ArrayList<>();
        for (int i = 0; i < gpuGib.length; i++) {
            gpus.add(new Gpu(i, "test GPU " + i, gpuGib[i] * GIB, gpuGib[i] * GIB));
        }
        return new ModelHost(p, () -> gpus, loader, table, clock);
    }

    ModelSpec model(String id, int layers, long layerMib) {
        table.sizes.put(id, new Size(layers, layerMib << 20));
        return new ModelSpec(id, Path.of(id + ".gguf"), EstimateParams.cpu(4096));
    }

    @Test
    void aModelThatFitsGoesWholeOntoTheGpuWithTheMostFreeMemory() throws Exception {
        try (ModelHost h = host(32, 8, 16)) {
            try (var lease = h.lease(model("coder", 24, 256), null)) { // 6.5 GiB with its output
                assertThat(lease.placement().device()).isEqualTo("cuda:1");
                assertThat(lease.placement().gpuLayers()).isEqualTo(25);
            }
        }
    }

    @Test
    void aModelTooBigForTheGpuIsSplitOrKeptOnTheCpuWhenSplittingIsOff() throws Exception {
        ModelSpec big = model("big", 32, 512); // 16.5 GiB
        try (ModelHost h = host(64, 8); var lease = h.lease(big, null)) {
            assertThat(lease.placement().device()).isEqualTo("cuda:0");
            assertThat(lease.placement().gpuLayers()).isEqualTo(16); // 16 x 0.5 GiB = the whole 8 GiB
        }
        try (ModelHost h = host(HostParams.defaults(64 * GIB).withPartialOffload(false), 8);
             var lease = h.lease(big, null)) {
            assertThat(lease.placement().device()).isEqualTo("cpu");
            assertThat(lease.placement().gpuLayers()).isZero();
        }
    }

    @Test
    void idleModelsAreEvictedLeastRecentlyUsedFirstToMakeRoom() throws Exception {
        try (ModelHost h = host(4, 10)) {
            h.lease(model("a", 14, 256), null).close(); // 4 GiB each on the GPU
            clock.advance(Duration.ofSeconds(10));
            h.lease(model("b", 14, 256), null).close();
            clock.advance(Duration.ofSeconds(10));
            try (var c = h.lease(model("c", 14, 256), null)) {
                assertThat(c.placement().device()).isEqualTo("cuda:0");
            }
            assertThat(unloads).containsExactly("a");
            assertThat(h.loaded()).extracting(ModelHost.LoadedModel::id).containsExactly("b", "c");
        }
    }

    @Test
    void modelsInUseAreNeverEvictedAndWhatCannotFitIsRefusedWithTheNumbers() throws Exception {
        try (ModelHost h = host(2, 6)) {
            var a = h.lease(model("a", 20, 256), null); // 5.5 GiB GPU
            assertThatThrownBy(() -> h.lease(model("b", 20, 256), null))
                    .isInstanceOf(MemoryUnavailableException.class).hasMessageContaining("b does not fit")
                    .hasMessageContaining("models in use are never evicted");
            assertThat(unloads).isEmpty();
            a.close();
            try (var b = h.lease(model("b", 20, 256), null)) {
                assertThat(b.placement().device()).isEqualTo("cuda:0");
            }
            assertThat(unloads).containsExactly("a");
        }
    }

    @Test
    void keepAliveUnloadsIdleModelsOnTheClockAndARequestCanSetIt() throws Exception {
        try (ModelHost h = host(32)) {
            h.lease(model("default", 4, 64), null).close();
            h.lease(model("now", 4, 64), Duration.ZERO).close();
            h.lease(model("forever", 4, 64), Duration.ofSeconds(-1)).close();
            assertThat(h.loaded()).extracting(ModelHost.LoadedModel::id).containsExactly("default", "forever");
            clock.advance(Duration.ofMinutes(4));
            assertThat(h.loaded()).extracting(ModelHost.LoadedModel::id).containsExactly("default", "forever");
            clock.advance(Duration.ofMinutes(2));
            assertThat(h.loaded()).extracting(ModelHost.LoadedModel::id).containsExactly("forever");
            assertThat(unloads).containsExactly("now", "default");
        }
    }

    @Test
    void aLeasedModelDoesNotExpireAndItsKeepAliveStartsWhenTheLastLeaseCloses() throws Exception {
        try (ModelHost h = host(32)) {
            var first = h.lease(model("m", 4, 64), null);
            var second = h.lease(model("m", 4, 64), null);
            clock.advance(Duration.ofHours(1));
            first.close();
            assertThat(h.loaded()).hasSize(1);
            second.close();
            clock.advance(Duration.ofMinutes(5));
            assertThat(h.loaded()).isEmpty();
        }
    }

    @Test
    void concurrentLeasesOfOneModelLoadItOnce() throws Exception {
        try (ModelHost h = host(32)) {
            ModelSpec m = model("shared", 8, 64);
            Workers workers = new Workers();
            for (int i = 0; i < 20; i++) {
                workers.start(() -> {
                    try (var lease = h.lease(m, null)) {
                        assertThat(lease.placement().device()).isEqualTo("cpu");
                    }
                });
            }
            workers.join(); // every lease was granted: a failure in any worker is rethrown here
            assertThat(loads).hasSize(1);
        }
    }

    @Test
    void aFullQueueIsRefusedAtOnce() throws Exception {
        java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1),
                release = new java.util.concurrent.CountDownLatch(1);
        ModelLoader slow = (spec, placement) -> {
            loading.countDown();
            release.await();
            return () -> { };
        };
        List<String> granted = new CopyOnWriteArrayList<>();
        try (ModelHost h = new ModelHost(new HostParams(Duration.ofMinutes(5), 16 * GIB, 0, true, 1.0, 1), List::of,
                slow, table, clock)) {
            Workers workers = new Workers();
            workers.start(() -> {
                try (var lease = h.lease(model("slow", 2, 64), null)) {
                    granted.add("slow");
                }
            });
            loading.await();
            Thread second = workers.start(() -> {
                try (var lease = h.lease(model("queued", 2, 64), null)) {
                    granted.add("queued");
                }
            });
            while (second.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
            assertThatThrownBy(() -> h.lease(model("third", 2, 64), null)).isInstanceOf(HostBusyException.class)
                    .hasMessageContaining("try again");
            release.countDown();
            workers.join();
            assertThat(granted).as("the loading and the queued request are both served").containsExactlyInAnyOrder("slow", "queued");
        }
    }

    @Test
    void aFailedLoadGivesItsMemoryBack() throws Exception {
        ModelLoader failing = (spec, placement) -> {
            throw new IllegalStateException("corrupt file");
        };
        List<Gpu> gpus = List.of(new Gpu(0, "g", 8 * GIB, 8 * GIB));
        try (ModelHost h = new ModelHost(new HostParams(Duration.ofMinutes(5), 16 * GIB, 0, true, 1.0, 4), () -> gpus,
                failing, table, clock)) {
            assertThatThrownBy(() -> h.lease(model("bad", 8, 256), null)).hasMessageContaining("corrupt file");
            assertThat(h.devices()).allSatisfy(d -> assertThat(d.free()).isEqualTo(d.capacity()));
        }
    }

    @Test
    void abovePressureIdleModelsGoBeforeTheyAreNeeded() throws Exception {
        try (ModelHost h = host(HostParams.defaults(64 * GIB).withPressureThreshold(0.5), 10)) {
            h.lease(model("old", 10, 256), null).close(); // 3 GiB on the GPU: 30%
            try (var fresh = h.lease(model("fresh", 10, 256), null)) { // 60% with both: above 50%
                assertThat(fresh.placement().device()).isEqualTo("cuda:0");
            }
            assertThat(unloads).containsExactly("old");
        }
    }

    @Test
    void closingTheHostWaitsForAModelInUseAndFreesItWhenItsLeaseComesBack() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<String> closed = new CopyOnWriteArrayList<>();
        ModelLoader refusesWhileBusy = (spec, placement) -> () -> {
            if (busy.get() && spec.id().equals("chat")) { // as LlamaModel.close() does while a context generates
                throw new IllegalStateException(spec.id() + " has a context in use");
            }
            closed.add(spec.id());
        };
        HostParams p = new HostParams(Duration.ofMinutes(5), 32 * GIB, 0, true, 1.0, 64);
        ModelHost h = new ModelHost(p, List::of, refusesWhileBusy, table, clock);
        ModelHost.Lease lease = h.lease(model("chat", 8, 64), null);
        h.lease(model("idle", 8, 64), null).close();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                h.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // the idle model goes at once; the one in use stays, and new leases are refused meanwhile
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (h.loaded().size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(h.loaded()).extracting(ModelHost.LoadedModel::id).containsExactly("chat");
        assertThatThrownBy(() -> h.lease(model("late", 8, 64), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(closer.isAlive()).as("close waits for the model in use").isTrue();
        busy.set(false);
        lease.close();
        closer.join(60_000);
        assertThat(closer.isAlive()).as("close returned once the lease came back").isFalse();
        assertThat(closed).containsExactlyInAnyOrder("idle", "chat");
    }
}
