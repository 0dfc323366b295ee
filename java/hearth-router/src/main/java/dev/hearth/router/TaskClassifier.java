package dev.hearth.router;

import dev.hearth.api.ChatRequest;

/** Says what a request is. Rules today; a semantic classifier on local embeddings can replace them. */
@FunctionalInterface
public interface TaskClassifier {
    Classification classify(ChatRequest request);
}
