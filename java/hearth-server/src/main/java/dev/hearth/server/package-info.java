/**
 * The HTTP server of {@code hearth serve}: routes, request bodies read with bounds, answers and server-sent events.
 * Each request runs on its own virtual thread; the shared parts (the {@code Hearth}, the routes) are thread-safe.
 */
package dev.hearth.server;
