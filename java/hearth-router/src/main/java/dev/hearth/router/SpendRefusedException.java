package dev.hearth.router;

import dev.hearth.api.HearthException;

/**
 * A remote call refused before it was sent: the worst case it could cost does not fit a budget (the message says
 * which, with the numbers), or the spend could not be recorded. The fallback chain moves on to the next model.
 */
public final class SpendRefusedException extends HearthException {
    public SpendRefusedException(String message) {
        super(message);
    }
}
