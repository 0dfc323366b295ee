/**
 * Spring AI's chat and embedding models over Hearth's runtime ({@link dev.hearth.spring.ai.HearthChatModel},
 * {@link dev.hearth.spring.ai.HearthEmbeddingModel}), with Hearth's chat options. The models are thread-safe; options
 * are immutable once built.
 */
package dev.hearth.spring.ai;
