/**
 * OpenAI's chat completion wire format, translated to and from Hearth's one chat model: plain functions of their
 * arguments, tested without sockets. Stateless and thread-safe.
 */
package dev.hearth.server.openai;
