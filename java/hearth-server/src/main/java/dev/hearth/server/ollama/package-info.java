/**
 * Ollama's API ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}, the model lists) translated to and from
 * Hearth's one chat model: plain functions of their arguments, tested without sockets. Stateless and thread-safe.
 */
package dev.hearth.server.ollama;
