/**
 * Many requests on one model: {@link dev.hearth.llama.engine.LlamaEngine} owns one llama context with a KV-cache
 * slot per sequence and one scheduler thread that batches every active request each step (continuous batching,
 * chunked prefill, prefix reuse, cancellation, a bounded admission queue), and
 * {@link dev.hearth.llama.engine.LlamaChatBackend} serves it through Hearth's {@code ChatBackend} SPI.
 */
package dev.hearth.llama.engine;
