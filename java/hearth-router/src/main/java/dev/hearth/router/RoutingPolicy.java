package dev.hearth.router;

import dev.hearth.api.ChatRequest;

/** Decides where one request goes. Implementations are registered by name in {@link Policies}. */
public interface RoutingPolicy {
    String name();

    RouteDecision decide(ChatRequest request, Classification classification, ModelRegistry registry, RouterConfig config);
}
