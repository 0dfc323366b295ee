/**
 * Public types shared by every Hearth backend: chat messages, the token sink that streams output, and the
 * exception hierarchy a caller can act on. All types here are immutable records, enums or exceptions, and
 * therefore safe to share between threads.
 */
package dev.hearth.api;
