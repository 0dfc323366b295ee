/**
 * Anthropic's Messages API: the wire records, and {@link dev.hearth.remote.anthropic.AnthropicClient} which
 * translates Hearth's chat model to and from them. Records are immutable; the client is thread-safe.
 */
package dev.hearth.remote.anthropic;
