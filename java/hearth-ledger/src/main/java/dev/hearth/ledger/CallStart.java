package dev.hearth.ledger;

import java.util.Objects;

/**
 * What is known when a call begins: where it came from, who made it, the task class, the route decision (its kind,
 * e.g. {@code local}, {@code remote}, {@code fallback}, and its reason), the model and provider it goes to, whether it
 * leaves the machine, and the prompt (stored only when {@link LedgerConfig#storeContent()} is on; may be null).
 */
public record CallStart(EntryPoint entryPoint, Caller caller, String taskClass, String route, String routeReason,
        String model, String provider, boolean remote, String prompt) {
    public CallStart {
        Objects.requireNonNull(entryPoint, "entryPoint");
        caller = caller == null ? Caller.ANONYMOUS : caller;
        if (model == null || model.isBlank() || provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("a call needs the model and provider it was sent to; got model="
                    + model + ", provider=" + provider);
        }
    }

    /** A local call from the Java API, with no caller, task class or prompt. */
    public static CallStart local(String model) {
        return new CallStart(EntryPoint.JAVA_API, Caller.ANONYMOUS, null, "local", null, model, "local", false, null);
    }

    /** A remote call from the Java API. */
    public static CallStart remote(String provider, String model) {
        return new CallStart(EntryPoint.JAVA_API, Caller.ANONYMOUS, null, "remote", null, model, provider, true, null);
    }

    public CallStart withCaller(Caller c) {
        return new CallStart(entryPoint, c, taskClass, route, routeReason, model, provider, remote, prompt);
    }

    public CallStart withTaskClass(String t) {
        return new CallStart(entryPoint, caller, t, route, routeReason, model, provider, remote, prompt);
    }

    public CallStart withPrompt(String p) {
        return new CallStart(entryPoint, caller, taskClass, route, routeReason, model, provider, remote, p);
    }
}
