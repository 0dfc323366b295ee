package dev.hearth.router;

import dev.hearth.api.ChatRequest;
import dev.hearth.api.Usage;

/**
 * What a call to a remote model may spend, decided before the request leaves the machine: {@link #reserve} holds the
 * call's worst case against every budget that applies (or refuses, with the numbers), and the hold is settled to the
 * real usage once the answer is in, or released when the vendor answered nothing billable. The fallback chain asks
 * for a hold before every remote hop; a refusal moves it on to the next model (a local one answers for free).
 */
public interface SpendGate {
    /** A reservation: settle or release it exactly once. */
    interface Hold {
        /** The call is over and the vendor reported this usage. */
        void settle(ModelProfile model, Usage usage);

        /** The call failed; {@code e} says how (a stream cut after output may still be billed). */
        void failed(RuntimeException e);
    }

    /** No budgets: every hold is granted and forgotten. */
    SpendGate NONE = (model, request) -> new Hold() {
        @Override
        public void settle(ModelProfile m, Usage usage) {
        }

        @Override
        public void failed(RuntimeException e) {
        }
    };

    /**
     * Reserves what sending {@code request} to {@code model} may cost at most.
     *
     * @throws SpendRefusedException when a budget would be exceeded (the chain moves on), or
     *                                 when the reservation cannot be recorded (the request is not sent)
     */
    Hold reserve(ModelProfile model, ChatRequest request);
}
