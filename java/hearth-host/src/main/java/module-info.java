/**
 * Loaded models inside a device-memory budget: estimates from GGUF metadata, a weighted FIFO semaphore per device,
 * placement with keep-alive and LRU eviction, GPU discovery through NVML over FFM.
 */
module dev.hearth.host {
    requires transitive dev.hearth.llama;
    requires org.slf4j;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;

    opens dev.hearth.host to com.fasterxml.jackson.databind;

    exports dev.hearth.host;
}
