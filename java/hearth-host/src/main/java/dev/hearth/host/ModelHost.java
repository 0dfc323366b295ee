package dev.hearth.host;

import dev.hearth.api.spi.MemoryEstimate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps models loaded inside the machine's memory. One scheduler thread owns every decision (placement, loading,
 * eviction, keep-alive); callers send it events on a queue, and at most {@code queueCapacity} lease requests may wait
 * (more are refused at once with {@link HostBusyException}). A {@link Lease} pins its model; when the
 * last lease closes, the model's keep-alive starts. Placement prefers the whole model on the GPU with the most free
 * memory, then (if allowed) as many layers as fit there, then the CPU, evicting idle models least recently used first
 * to make room, and refuses with the numbers when nothing can make it fit.
 */
public final class ModelHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelHost.class);

    private final HostParams params;
    private final ModelLoader loader;
    private final Estimator estimator;
    private final Clock clock;
    private final List<DeviceMemory> gpus = new ArrayList<>();
    private final DeviceMemory cpu;
    private final BlockingQueue<Event> events;
    private final Thread loop;
    private final Map<String, Entry> loaded = new HashMap<>(); // owned by the loop thread
    private final java.util.concurrent.atomic.AtomicInteger waitingAcquires = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;
    private volatile java.util.function.Consumer<List<LoadedModel>> listener = models -> { };
    private List<LoadedModel> published = List.of(); // owned by the loop thread

    private sealed interface Event {
    }

    private record Acquire(ModelSpec spec, Duration keepAlive, CompletableFuture<Lease> answer) implements Event {
    }

    private record Release(Entry entry, Instant at) implements Event {
    }

    private record Check(CompletableFuture<List<LoadedModel>> answer) implements Event {
    }

    private record Stop() implements Event {
    }

    /** A loaded model as {@code hearth ps} shows it. */
    public record LoadedModel(String id, Placement placement, int leases, Duration keepAlive, Instant expiresAt) {
    }

    private static final class Entry {
        final ModelSpec spec;
        final Placement placement;
        final ModelLoader.Loaded model;
        final List<DeviceMemory.Lease> memory;
        int leases;
        Duration keepAlive;
        Instant lastUsed;

        Entry(ModelSpec spec, Placement placement, ModelLoader.Loaded model, List<DeviceMemory.Lease> memory) {
            this.spec = spec;
            this.placement = placement;
            this.model = model;
            this.memory = memory;
        }

        Instant expiresAt() {
            if (leases > 0 || keepAlive.isNegative()) {
                return null;
            }
            return lastUsed.plus(keepAlive);
        }
    }

    /** A model held for use; closing it lets the host unload the model after its keep-alive. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean open = true;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public ModelLoader.Loaded model() {
            return entry.model;
        }

        public Placement placement() {
            return entry.placement;
        }

        @Override
        public synchronized void close() {
            if (open) {
                open = false;
                events.add(new Release(entry, clock.instant())); // never refused: a release frees room
            }
        }
    }

    public ModelHost(HostParams params, GpuProbe probe, ModelLoader loader, Estimator estimator, Clock clock) {
        this.params = params;
        this.loader = loader;
        this.estimator = estimator;
        this.clock = clock;
        for (Gpu g : probe.gpus()) {
            long reserve = Math.min(g.totalBytes() - 1, params.gpuReserveBytes() + (g.totalBytes() - g.freeBytes()));
            gpus.add(new DeviceMemory("cuda:" + g.index(), g.totalBytes(), Math.max(0, reserve)));
        }
        this.cpu = new DeviceMemory("cpu", params.cpuBudgetBytes(), 0);
        this.events = new java.util.concurrent.LinkedBlockingQueue<>(); // acquires are capped; releases always get in
        this.loop = Thread.ofPlatform().name("hearth-model-host").daemon().start(this::run);
    }

    /**
     * The model, loaded if it is not; blocks while it loads. {@code keepAlive} (null: the host's) replaces the
     * model's keep-alive, as the latest request says.
     */
    public Lease lease(ModelSpec spec, Duration keepAlive) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the model host is closed");
        }
        CompletableFuture<Lease> answer = new CompletableFuture<>();
        if (waitingAcquires.incrementAndGet() > params.queueCapacity()
                || !events.offer(new Acquire(spec, keepAlive, answer))) {
            waitingAcquires.decrementAndGet();
            throw new HostBusyException(params.queueCapacity());
        }
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            answer.thenAccept(Lease::close); // it may still come: give it back
            throw e;
        }
    }

    /** The loaded models; unloads those whose keep-alive has passed first (the loop also does every second). */
    public List<LoadedModel> loaded() throws InterruptedException {
        CompletableFuture<List<LoadedModel>> answer = new CompletableFuture<>();
        events.add(new Check(answer));
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The loaded models for a reading that must not block on a stopping host or fail its caller (a metrics gauge):
     * none when the host is stopping or the caller was interrupted (its interrupt is kept).
     */
    public List<LoadedModel> loadedNow() {
        try {
            return loaded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (RuntimeException closed) { // the host is stopping: nothing is loaded
            return List.of();
        }
    }

    /**
     * Called on the host's thread with the loaded models each time they change (a load, an unload, a lease taken or
     * given back), and with none when the host closes. For publishing the state, e.g. for {@code hearth ps}.
     */
    public void onChange(java.util.function.Consumer<List<LoadedModel>> listener) {
        this.listener = listener;
    }

    public List<DeviceMemory> devices() {
        List<DeviceMemory> all = new ArrayList<>(gpus);
        all.add(cpu);
        return all;
    }

    /**
     * Stops taking leases, unloads every model, and returns once they are all freed: a model still in use (a lease
     * not given back, a context generating) is freed as soon as its last lease is closed.
     */
    @Override
    public void close() throws InterruptedException {
        if (!closed) {
            closed = true;
            events.add(new Stop());
        }
        loop.join();
    }

    private boolean stopping; // owned by the loop thread: Stop came; unload everything as it is given back

    private void run() {
        while (!(stopping && loaded.isEmpty())) {
            Event e;
            try {
                e = events.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            try {
                switch (e) {
                    case null -> { }
                    case Acquire a -> {
                        waitingAcquires.decrementAndGet();
                        if (stopping) {
                            a.answer().completeExceptionally(new IllegalStateException("the model host is closed"));
                        } else {
                            acquire(a);
                        }
                    }
                    case Release r -> {
                        release(r.entry(), r.at());
                        if (stopping && r.entry().leases == 0) {
                            tryUnload(r.entry());
                        }
                    }
                    case Check c -> {
                        expire();
                        c.answer().complete(snapshot());
                    }
                    case Stop s -> {
                        stopping = true;
                        List.copyOf(loaded.values()).forEach(this::tryUnload);
                    }
                }
                expire();
                publish();
            } catch (RuntimeException failure) {
                LOG.error("model host loop: {}", failure.toString(), failure);
            }
        }
        publish();
    }

    /** Unloads a model while stopping; one still in use stays loaded until its leases come back. */
    private void tryUnload(Entry e) {
        try {
            unload(e);
        } catch (RuntimeException inUse) {
            LOG.info("{} is still in use ({}); it is unloaded when its last lease is closed", e.spec.id(),
                    inUse.getMessage());
        }
    }

    private void acquire(Acquire a) {
        Entry entry = loaded.get(a.spec().id());
        try {
            if (entry == null) {
                entry = load(a.spec());
                loaded.put(a.spec().id(), entry);
            }
        } catch (RuntimeException e) {
            a.answer().completeExceptionally(e);
            return;
        }
        entry.leases++;
        entry.keepAlive = a.keepAlive() != null ? a.keepAlive() : params.keepAlive();
        entry.lastUsed = clock.instant();
        a.answer().complete(new Lease(entry));
    }

    private void release(Entry entry, Instant at) {
        entry.leases--;
        entry.lastUsed = at; // the keep-alive counts from the close, not from when the loop got to it
        if (entry.leases == 0 && entry.keepAlive.isZero()) {
            unload(entry);
        }
    }

    private void expire() {
        Instant now = clock.instant();
        for (Entry e : List.copyOf(loaded.values())) {
            Instant at = e.expiresAt();
            if (at != null && !now.isBefore(at)) {
                unload(e);
            }
        }
    }

    /** Frees a model, then its memory; a model that refuses to close (in use) stays loaded and keeps its memory. */
    private void unload(Entry e) {
        if (loaded.get(e.spec.id()) != e) {
            return;
        }
        e.model.close();
        loaded.remove(e.spec.id(), e);
        e.memory.forEach(DeviceMemory.Lease::close);
        LOG.info("unloaded {} from {}", e.spec.id(), e.placement.device());
    }

    private Entry load(ModelSpec spec) {
        List<DeviceMemory.Lease> memory = new ArrayList<>();
        Placement placement = place(spec, memory);
        try {
            ModelLoader.Loaded model = loader.load(spec, placement);
            LOG.info("loaded {} on {} ({} GPU layers)", spec.id(), placement.device(), placement.gpuLayers());
            Entry entry = new Entry(spec, placement, model, memory);
            relieve(placement);
            return entry;
        } catch (Exception e) {
            memory.forEach(DeviceMemory.Lease::close); // a failed load gives its memory back
            throw e instanceof RuntimeException r ? r : new IllegalStateException("loading " + spec.id() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Chooses the device and GPU layers, evicting idle models if that makes room; leases the memory into {@code out}. */
    private Placement place(ModelSpec spec, List<DeviceMemory.Lease> out) {
        int layers = estimator.layers(spec);
        List<DeviceMemory> byFree = new ArrayList<>(gpus);
        byFree.sort(Comparator.comparingLong(DeviceMemory::free).reversed());
        for (DeviceMemory gpu : byFree) {
            MemoryEstimate whole = estimator.estimate(spec, layers + 1);
            if (take(gpu, whole.gpu(), whole.cpu(), out)) {
                return new Placement(gpu.device(), layers + 1, whole);
            }
        }
        if (params.partialOffload()) {
            for (DeviceMemory gpu : byFree) {
                for (int n = layers; n > 0; n--) {
                    MemoryEstimate part = estimator.estimate(spec, n);
                    if (part.gpu() <= gpu.free() + evictable(gpu) && take(gpu, part.gpu(), part.cpu(), out)) {
                        return new Placement(gpu.device(), n, part);
                    }
                }
            }
        }
        MemoryEstimate onCpu = estimator.estimate(spec, 0);
        if (take(null, 0, onCpu.cpu(), out)) {
            return new Placement("cpu", 0, onCpu);
        }
        long best = gpus.stream().mapToLong(DeviceMemory::free).max().orElse(0);
        throw new MemoryUnavailableException(spec.id() + " does not fit: it needs " + MemoryUnavailableException.mib(
                onCpu.total()) + " (on CPU; " + MemoryUnavailableException.mib(estimator.estimate(spec, layers + 1).gpu())
                + " on a GPU) and " + MemoryUnavailableException.mib(cpu.free() + evictable(cpu)) + " of RAM"
                + (gpus.isEmpty() ? "" : " and " + MemoryUnavailableException.mib(best) + " of GPU memory")
                + " can be freed; models in use are never evicted. Close leases, lower the context size, or raise the"
                + " budget", onCpu.total(), cpu.free());
    }

    /** Leases {@code gpuBytes} on {@code gpu} and {@code cpuBytes} of RAM, evicting idle models if needed. */
    private boolean take(DeviceMemory gpu, long gpuBytes, long cpuBytes, List<DeviceMemory.Lease> out) {
        if ((gpu != null && gpuBytes > gpu.free() + evictable(gpu)) || cpuBytes > cpu.free() + evictable(cpu)
                || (gpu != null && gpuBytes > gpu.capacity()) || cpuBytes > cpu.capacity()) {
            return false;
        }
        DeviceMemory.Lease onGpu = null;
        if (gpu != null && gpuBytes > 0) {
            evictUntil(gpu, gpuBytes);
            onGpu = gpu.tryAcquire(gpuBytes);
            if (onGpu == null) {
                return false;
            }
        }
        DeviceMemory.Lease inRam = null;
        if (cpuBytes > 0) {
            evictUntil(cpu, cpuBytes);
            inRam = cpu.tryAcquire(cpuBytes);
            if (inRam == null) {
                if (onGpu != null) {
                    onGpu.close();
                }
                return false;
            }
        }
        if (onGpu != null) {
            out.add(onGpu);
        }
        if (inRam != null) {
            out.add(inRam);
        }
        return true;
    }

    /** Above the pressure threshold after a load, idle models go (least recently used first). */
    private void relieve(Placement placement) {
        for (DeviceMemory d : devices()) {
            while (d.pressure() > params.pressureThreshold()) {
                Entry victim = lruIdleOn(d);
                if (victim == null) {
                    break;
                }
                unload(victim);
            }
        }
    }

    private void evictUntil(DeviceMemory device, long bytes) {
        while (device.free() < bytes) {
            Entry victim = lruIdleOn(device);
            if (victim == null) {
                return;
            }
            unload(victim);
        }
    }

    private Entry lruIdleOn(DeviceMemory device) {
        return loaded.values().stream().filter(e -> e.leases == 0)
                .filter(e -> e.memory.stream().anyMatch(l -> l.device() == device))
                .min(Comparator.comparing(e -> e.lastUsed)).orElse(null);
    }

    private long evictable(DeviceMemory device) {
        return loaded.values().stream().filter(e -> e.leases == 0).flatMap(e -> e.memory.stream())
                .filter(l -> l.device() == device).mapToLong(DeviceMemory.Lease::bytes).sum();
    }

    private void publish() {
        List<LoadedModel> now = snapshot();
        if (!now.equals(published)) {
            published = now;
            try {
                listener.accept(now);
            } catch (RuntimeException e) {
                LOG.warn("model host listener failed: {}", e.toString());
            }
        }
    }

    private List<LoadedModel> snapshot() {
        return loaded.values().stream().sorted(Comparator.comparing(e -> e.spec.id()))
                .map(e -> new LoadedModel(e.spec.id(), e.placement, e.leases, e.keepAlive, e.expiresAt())).toList();
    }
}
