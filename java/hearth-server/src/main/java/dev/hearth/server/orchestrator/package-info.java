/**
 * The orchestrator API's answers ({@code /v1/hearth/...}): what each model can do and costs, what a workload would cost
 * on each tier, which model each tier would choose and why, spend, calls, their traces and the host's state, as plain
 * functions from Hearth's state and a request's JSON to the answer's JSON, testable without sockets. Stateless and
 * thread-safe: every function reads what it needs when called.
 */
package dev.hearth.server.orchestrator;
