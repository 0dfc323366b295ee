/**
 * For tests, demos and benchmarks: synthetic GGUF models with seeded random weights, and loopback servers that speak
 * the remote vendors' wire formats (Anthropic, OpenAI, DeepSeek) and fail as they do.
 */
module dev.hearth.testkit {
    requires transitive dev.hearth.api;
    requires transitive com.fasterxml.jackson.databind;

    exports dev.hearth.testkit;
    exports dev.hearth.testkit.http;
    exports dev.hearth.testkit.upstream;
}
