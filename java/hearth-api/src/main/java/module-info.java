/** Hearth's public types: chat messages, errors and the callbacks that stream tokens. No dependencies. */
module dev.hearth.api {
    exports dev.hearth.api;
}
