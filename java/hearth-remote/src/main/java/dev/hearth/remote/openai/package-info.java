/**
 * The OpenAI chat-completions JSON as records, shared by OpenAI, DeepSeek and every compatible server (vLLM,
 * llama-server, Ollama, another Hearth), with DeepSeek's additions. Records are immutable.
 */
package dev.hearth.remote.openai;
