/**
 * The model host: what is loaded where. {@link dev.hearth.host.DeviceMemory} and {@link dev.hearth.host.ModelHost}
 * are thread-safe (the host's decisions are made on its one scheduler thread); estimates and records are immutable.
 */
package dev.hearth.host;
