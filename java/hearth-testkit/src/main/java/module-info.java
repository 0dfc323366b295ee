/**
 * For tests, demos and benchmarks: synthetic GGUF and ONNX models with seeded random weights, and loopback servers
 * that speak the remote vendors' wire formats (Anthropic, OpenAI, DeepSeek) and fail as they do.
 */
module dev.hearth.testkit {
    requires transitive dev.hearth.api;
    requires transitive com.fasterxml.jackson.databind;
    requires com.google.protobuf;

    exports dev.hearth.testkit;
    exports dev.hearth.testkit.http;
    exports dev.hearth.testkit.onnx;
    exports dev.hearth.testkit.upstream;
}
