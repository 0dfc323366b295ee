/**
 * What the single-sequence context and the engine share: batches, samplers, token-to-text assembly, chat plans and
 * streams, status codes, the model's native handles, and what keeps llama.cpp's recursive code from overflowing a
 * native stack (the budgets, the nesting measure and the large-stack threads that run those calls). Not exported:
 * nothing outside this module reaches these classes. NativeStack and Budgets are thread-safe; the rest belong to
 * one generation's thread.
 */
package dev.hearth.llama.internal;
