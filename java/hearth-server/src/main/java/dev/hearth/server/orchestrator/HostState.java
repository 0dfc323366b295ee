package dev.hearth.server.orchestrator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.host.DeviceMemory;
import dev.hearth.host.ModelHost;
import dev.hearth.router.HealthTracker;
import dev.hearth.router.ModelProfile;
import dev.hearth.runtime.Hearth;
import java.time.Instant;

/**
 * {@code GET /v1/hearth/host}: what {@code hearth ps} shows (loaded models, their memory per device and when their
 * keep-alive ends), each loaded model's engine slots and waiting requests, each device's memory, every model's
 * circuit, and the endpoints of each pool of servers (state, outstanding requests, requests, failures).
 */
public final class HostState {
    private HostState() {
    }

    public static ObjectNode of(Hearth hearth, Instant now) throws InterruptedException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("now", now.toString());
        ArrayNode devices = out.putArray("devices");
        for (DeviceMemory d : hearth.host().devices()) {
            devices.addObject().put("device", d.device()).put("capacity_bytes", d.capacity()).put("free_bytes",
                    d.free());
        }
        ArrayNode loaded = out.putArray("loaded");
        for (ModelHost.LoadedModel m : hearth.host().loaded()) {
            var e = m.placement().estimate();
            ObjectNode o = loaded.addObject().put("id", m.id()).put("device", m.placement().device())
                    .put("gpu_layers", m.placement().gpuLayers()).put("total_bytes", e.total())
                    .put("gpu_bytes", e.gpu()).put("cpu_bytes", e.total() - e.gpu()).put("leases", m.leases())
                    .put("keep_alive_s", m.keepAlive() == null ? null : m.keepAlive().toSeconds());
            o.put("expires_at", m.expiresAt() == null ? null : m.expiresAt().toString());
            o.put("slots", hearth.engineSlots(m.id())).put("waiting", hearth.waiting(m.id()));
            hearth.engineParams(m.id()).ifPresent(p -> o.put("slot_context", p.contextSize() / Math.max(1,
                    p.parallel())).put("kv_cache_type", p.kvCacheType().wireName()));
        }
        ArrayNode circuits = out.putArray("circuits");
        for (ModelProfile p : hearth.router().registry().all()) {
            HealthTracker.Health h = hearth.health().health(p.id());
            circuits.addObject().put("model", p.id()).put("local", p.local()).put("state", h.state())
                    .put("failure_rate", Capabilities.rate(h.failureRate())).put("calls", h.calls());
        }
        ArrayNode endpoints = out.putArray("endpoints");
        hearth.endpointPools().forEach((model, pool) -> pool.forEach(e -> endpoints.addObject().put("model", model)
                .put("endpoint", e.endpoint().toString()).put("state", e.state()).put("outstanding", e.outstanding())
                .put("requests", e.requests()).put("failures", e.failures()).put("ejections", e.ejections())
                .put("warm_conversations", e.warmConversations())));
        return out;
    }
}
