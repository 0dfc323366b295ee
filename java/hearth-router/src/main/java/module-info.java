/**
 * The hybrid router: a registry of model profiles, task classification, routing policies registered by name, and one
 * explainable {@link dev.hearth.router.RouteDecision} per request, executed through a fallback chain.
 */
module dev.hearth.router {
    requires transitive dev.hearth.api;
    requires transitive dev.hearth.schema;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;
    requires org.slf4j;
    requires java.net.http; // probes of a pool's endpoints
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.core;

    exports dev.hearth.router;

    opens dev.hearth.router to com.fasterxml.jackson.databind; // the price table's records
}
