/**
 * The Java API over llama.cpp: {@link dev.hearth.llama.LlamaModel} (thread-safe, shared by its contexts),
 * {@link dev.hearth.llama.LlamaContext} (used by one thread at a time; a second thread gets an
 * IllegalStateException, never a native call) and the parameter records with their {@code defaults()}. The engine
 * that serves many requests on one model is in {@code dev.hearth.llama.engine}.
 */
package dev.hearth.llama;
