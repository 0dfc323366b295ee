/**
 * What the single-sequence context and the engine share: batches, samplers, token-to-text assembly, chat plans and
 * streams, status codes, the model's native handles, and what keeps llama.cpp's recursive code from overflowing a
 * native stack (the budgets, the nesting measure and the large-stack threads that run those calls), and the one place
 * a llama.cpp context is created. Not exported: nothing outside this module reaches these classes. NativeStack,
 * Budgets, NativeContext, ModelAccess and Status are safe from any thread and ChatPlan is immutable; the rest
 * (batches, samplers, pieces, text assembly, token output, chat streams, nesting) are used by one thread at a time.
 */
package dev.hearth.llama.internal;
