/**
 * Many requests on one model: {@link dev.hearth.llama.engine.LlamaEngine} owns one llama context with a KV-cache
 * slot per sequence and one scheduler thread that batches every active request each step (continuous batching,
 * chunked prefill, prefix reuse, cancellation, bounded admission: beyond
 * {@link dev.hearth.llama.engine.EngineParams#queueCapacity()} waiting requests a new one is refused at once), and
 * {@link dev.hearth.llama.engine.LlamaChatBackend} serves it through Hearth's {@code ChatBackend} SPI. Submitting and
 * cancelling are safe from any thread; a request's token sink is called on a virtual thread of the request's own.
 */
package dev.hearth.llama.engine;
