/**
 * What the single-sequence context and the engine share: batches, samplers, token-to-text assembly, chat plans,
 * status codes and the model's native handles. Not exported: nothing outside this module reaches these classes.
 */
package dev.hearth.llama.internal;
