/**
 * The backend SPI: {@link dev.hearth.api.spi.BackendProvider} and what it deals in (targets, memory estimates, loaded
 * models, raw completion). Records here are immutable; the interfaces say their own thread-safety.
 */
package dev.hearth.api.spi;
