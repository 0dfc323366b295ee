/**
 * The composition root and the one front door: every face (the CLI, the server, the framework adapters) reaches a model
 * through {@link dev.hearth.runtime.Hearth}, which resolves what the user named, routes it, guards it (privacy, budget,
 * health) and runs it on a local backend leased from the model host or on a remote client.
 */
module dev.hearth.runtime {
    requires transitive dev.hearth.api;
    requires transitive dev.hearth.router;
    requires transitive dev.hearth.host;
    requires transitive dev.hearth.ledger;
    requires org.slf4j;
    requires java.net.http; // model discovery reads servers' model lists
    requires com.fasterxml.jackson.databind; // a tournament compares structured answers field by field

    uses dev.hearth.api.spi.BackendProvider; // backends are found, never named

    exports dev.hearth.runtime;
}
