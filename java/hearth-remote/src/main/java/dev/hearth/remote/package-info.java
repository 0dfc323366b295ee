/**
 * What every remote client shares: configuration (base URLs, keys, deadlines, retries), the HTTP exchange with its
 * deadlines, server-sent events, the mapping of vendor errors to typed exceptions, retries and the price table.
 * Clients and their configuration are immutable and safe to share between threads.
 */
package dev.hearth.remote;
