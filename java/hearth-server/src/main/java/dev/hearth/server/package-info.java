/**
 * The HTTP server of {@code hearth serve}: the gate in front of every route (metrics, CORS, API keys and rate limits,
 * registered once as filters), the routes, request bodies read with bounds, answers, server-sent events, and errors
 * in each wire format's shape ({@code Wire}). Each request runs on its own virtual thread; the shared parts (the
 * {@code Hearth}, the filters, the routes) are thread-safe.
 */
package dev.hearth.server;
