/**
 * A GGUF reader in Java that reads and validates a model file (header, metadata of every value type, tensor
 * infos, alignment, bounds, and the hyper-parameters llama.cpp would trust) before any native code sees it.
 * Parsed files are immutable and safe to share between threads; reading holds no state between calls.
 */
package dev.hearth.llama.gguf;
