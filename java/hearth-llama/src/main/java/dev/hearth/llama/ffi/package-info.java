/**
 * Hand-written FFM bindings for the subset of llama.h (and ggml) that Hearth uses: struct layouts checked
 * against the C ABI probe, one MethodHandle constant per function, library loading and the log bridge.
 * Internal: not exported. The handles are immutable and thread-safe; the native functions they call keep
 * llama.cpp's own thread-safety rules (a context is used by one thread at a time).
 */
package dev.hearth.llama.ffi;
