/** Benchmarks of Hearth against peers measured in the same run (scripts/bench.sh). */
module dev.hearth.bench {
    requires dev.hearth.llama;
    requires dev.hearth.testkit;
    requires dev.hearth.remote;
    requires dev.hearth.router;
    requires dev.hearth.onnx;
    requires dev.hearth.ledger;
    requires dev.hearth.runtime;
    requires dev.hearth.server;
    requires java.sql;
    requires java.management;
    requires langchain4j.embeddings.all.minilm.l6.v2.q;
    requires langchain4j.core;
    requires langchain4j.embeddings;
    requires llama; // de.kherud:llama (java-llama.cpp), an automatic module
    requires com.fasterxml.jackson.databind;
    requires dev.hearth.host; // GpuCheck: NVML discovery
    requires ch.qos.logback.classic; // GpuCheck: the buffer sizes llama.cpp logs
    requires ch.qos.logback.core;
    requires org.slf4j;
}
