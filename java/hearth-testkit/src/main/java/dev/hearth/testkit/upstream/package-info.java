/**
 * Fake remote vendors on loopback: Anthropic's Messages API and the OpenAI chat-completions format (OpenAI and
 * DeepSeek flavours), scripted per request, faults included, recording what they receive. Thread-safe.
 */
package dev.hearth.testkit.upstream;
