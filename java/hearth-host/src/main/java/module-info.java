/**
 * Loaded models inside a device-memory budget: a weighted FIFO semaphore per device, placement with keep-alive and LRU
 * eviction, GPU discovery through NVML over FFM, the model cache and pulls. It knows no model format: estimates and
 * loading come from the backends, through {@link dev.hearth.host.Estimator} and {@link dev.hearth.host.ModelLoader}.
 */
module dev.hearth.host {
    requires transitive dev.hearth.api;
    requires org.slf4j;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;

    opens dev.hearth.host to com.fasterxml.jackson.databind;

    exports dev.hearth.host;
}
