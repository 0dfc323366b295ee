/** Hearth's public types: chat messages, errors, the callbacks that stream tokens, and the backend SPI. No dependencies. */
module dev.hearth.api {
    exports dev.hearth.api;
    exports dev.hearth.api.spi;
    exports dev.hearth.api.io;

    uses dev.hearth.api.spi.BackendProvider;
}
