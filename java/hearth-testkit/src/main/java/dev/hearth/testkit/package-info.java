/**
 * Writes GGUF files: a general {@link dev.hearth.testkit.GgufWriter} and llama-architecture models with
 * seeded random weights ({@link dev.hearth.testkit.SyntheticModel}). Writers are single-use and not
 * thread-safe; presets are immutable. The file format constants here are written independently of
 * hearth-llama's reader (which depends on this module in its tests), so each checks the other.
 */
package dev.hearth.testkit;
