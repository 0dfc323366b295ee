/**
 * A loopback HTTP/1.1 server on plain sockets, for fakes that must fail the way real servers do (stalls, resets,
 * broken bytes). Thread-safe: one virtual thread per connection.
 */
package dev.hearth.testkit.http;
