package dev.hearth.router;

/**
 * A decision with what steered it beyond the strategy, for {@code explain}.
 *
 * @param decision   the decision (its reason says all of this too)
 * @param preset     the preset that applied, or null
 * @param change     what the preset changed, or said it kept ("" with no preset)
 * @param lock       what a model lock did ("" when none applies)
 * @param tournament whether the preset wants a tournament for this request (reliable, on a critical task class): a
 *                   hook for the tournament runner; nothing here runs one
 */
public record Steered(RouteDecision decision, Preset preset, String change, String lock, boolean tournament) {
}
