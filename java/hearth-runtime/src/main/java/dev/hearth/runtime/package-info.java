/**
 * The facade every face goes through, the model-spec resolver and the local loaders. {@link dev.hearth.runtime.Hearth}
 * is thread-safe; the resolver is pure.
 */
package dev.hearth.runtime;
