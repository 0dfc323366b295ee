/**
 * Anthropic's Messages API as records ({@link dev.hearth.remote.anthropic.AnthropicWire}), to and from which
 * {@link dev.hearth.remote.AnthropicClient} translates Hearth's chat model. Records are immutable.
 */
package dev.hearth.remote.anthropic;
