/**
 * llama.cpp in process over Panama FFM: the pinned native libraries, hand-written bindings, models,
 * contexts and generation, and a GGUF reader that validates every file before native code sees it.
 */
module dev.hearth.llama {
    requires transitive dev.hearth.api;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires transitive dev.hearth.schema;

    exports dev.hearth.llama;
    exports dev.hearth.llama.engine;
    exports dev.hearth.llama.gguf;
    exports dev.hearth.llama.backend;
    // for the grammar benchmark's comparison rows and counts only (Sampler.grammarWayForTests); not an API
    exports dev.hearth.llama.internal to dev.hearth.bench;

    provides dev.hearth.api.spi.BackendProvider with dev.hearth.llama.backend.LlamaBackend;
}
