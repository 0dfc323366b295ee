/** Synthetic GGUF models with seeded random weights, for tests, the demo model and benchmarks. */
module dev.hearth.testkit {
    requires transitive dev.hearth.api;

    exports dev.hearth.testkit;
}
