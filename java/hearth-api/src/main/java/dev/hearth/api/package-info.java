/**
 * Public types shared by every Hearth backend: chat messages and requests, the backend SPI ({@code ChatBackend},
 * {@code EmbeddingBackend}), the sinks that stream output, and the exception hierarchy a caller can act on. The
 * values (records, enums, the sealed interfaces' record variants) are immutable and safe to share between threads;
 * the interfaces say their own rules: backends are called from many threads at once, a sink one call at a time.
 */
package dev.hearth.api;
