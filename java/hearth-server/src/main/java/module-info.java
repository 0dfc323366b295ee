/**
 * hearth serve: one local HTTP endpoint speaking OpenAI's and Anthropic's wire formats and Ollama's, every request
 * translated at the edge into the one internal chat model and sent through the runtime's front door.
 */
module dev.hearth.server {
    requires dev.hearth.runtime;
    requires transitive dev.hearth.redis; // HearthServer.start takes the rate limits
    requires io.helidon.webserver;
    requires io.helidon.http;
    requires io.helidon.common.socket;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires uplot; // the dashboard's charts: a WebJar, an automatic module; its files are served, no code runs

    exports dev.hearth.server;
    exports dev.hearth.server.openai;
    exports dev.hearth.server.anthropic;
    exports dev.hearth.server.ollama;
    exports dev.hearth.server.responses;
    exports dev.hearth.server.orchestrator;
}
