/**
 * OpenAI's chat completion and embeddings wire formats, and the one list of parameters no OpenAI route can honour,
 * translated to and from Hearth's one chat model: plain functions of their arguments, tested without sockets.
 * Stateless and thread-safe.
 */
package dev.hearth.server.openai;
