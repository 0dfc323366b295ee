/**
 * Routing: {@link dev.hearth.router.TaskClassifier} says what a request is, a {@link dev.hearth.router.RoutingPolicy}
 * chosen by name decides where it goes ({@link dev.hearth.router.RouteDecision}), the
 * {@link dev.hearth.router.FallbackChain} runs it. Records are immutable; the router and the chain are thread-safe.
 */
package dev.hearth.router;
