/**
 * End-to-end benchmarks: each suite runs Hearth and a peer alternately on the same model, threads and inputs
 * and prints medians, ranges and the Hearth/peer ratio. Single-threaded drivers; not used by the tests.
 */
package dev.hearth.bench;
