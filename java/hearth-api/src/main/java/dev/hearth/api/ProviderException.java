package dev.hearth.api;

import java.time.Duration;

/**
 * A remote vendor's call failed, typed so that the router can act on it: {@link #retryable()} says whether the
 * same request may be sent again, {@link #retryAfter()} how long the vendor asked to wait, and {@link #partial()}
 * what had already arrived when a stream broke. Messages never contain API keys.
 */
public abstract sealed class ProviderException extends HearthException {
    private final String provider;
    private final int status;
    private final Duration retryAfter;

    private ProviderException(String provider, int status, String message, Throwable cause) {
        this(provider, status, message, cause, null);
    }

    private ProviderException(String provider, int status, String message, Throwable cause, Duration retryAfter) {
        super(provider + ": " + message, cause);
        this.provider = provider;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The backend's name ("anthropic", "deepseek", ...). */
    public String provider() {
        return provider;
    }

    /** The HTTP status, or 0 where the failure had none (timeouts, resets). */
    public int status() {
        return status;
    }

    /** Whether sending the same request again may succeed. */
    public abstract boolean retryable();

    /** How long the vendor asked callers to wait before trying again; null where it said nothing. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** What arrived before the failure (text, tool calls, usage); null where nothing had. */
    public ChatResponse partial() {
        return null;
    }

    /** 401/403: the key is wrong, revoked or lacks permission. Never retried. */
    public static final class AuthenticationFailed extends ProviderException {
        public AuthenticationFailed(String provider, int status, String message) {
            super(provider, status, message + " (check the API key for " + provider + ")", null);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** 400/404/413/422: the vendor rejected the request itself; its message is passed through. Never retried. */
    public static final class BadRequest extends ProviderException {
        public BadRequest(String provider, int status, String message) {
            super(provider, status, message, null);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** 429: too many requests or tokens; wait {@link #retryAfter()} (when the vendor said) before the next. */
    public static final class RateLimited extends ProviderException {
        public RateLimited(String provider, String message, Duration retryAfter) {
            super(provider, 429, message + (retryAfter == null ? "" : " (retry after " + retryAfter.toMillis() + " ms)"),
                    null, retryAfter);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The vendor is overloaded (Anthropic 529, DeepSeek 503). */
    public static final class Overloaded extends ProviderException {
        public Overloaded(String provider, int status, String message, Duration retryAfter) {
            super(provider, status, message, null, retryAfter);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** Another 5xx, or an answer that is not the vendor's wire format. */
    public static final class ServerError extends ProviderException {
        public ServerError(String provider, int status, String message, Throwable cause) {
            super(provider, status, message, cause);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** 402 (DeepSeek): the account has no balance left. Never retried; top up or route elsewhere. */
    public static final class InsufficientBalance extends ProviderException {
        public InsufficientBalance(String provider, String message) {
            super(provider, 402, message + " (top up the " + provider + " account, or route elsewhere)", null);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** A deadline passed before the answer was complete. */
    public static final class TimedOut extends ProviderException {
        /** Which deadline. */
        public enum Phase { CONNECT, FIRST_TOKEN, IDLE, TOTAL }

        private final Phase phase;
        private final ChatResponse partial;

        public TimedOut(String provider, Phase phase, Duration limit, ChatResponse partial) {
            super(provider, 0, switch (phase) {
                case CONNECT -> "could not connect within " + limit.toMillis() + " ms";
                case FIRST_TOKEN -> "no first token within " + limit.toMillis() + " ms";
                case IDLE -> "the stream stalled: nothing for " + limit.toMillis() + " ms";
                case TOTAL -> "the answer took longer than " + limit.toMillis() + " ms";
            }, null);
            this.phase = phase;
            this.partial = partial;
        }

        public Phase phase() {
            return phase;
        }

        /** Only a call that had produced nothing may be sent again as if new. */
        @Override
        public boolean retryable() {
            return partial == null;
        }

        @Override
        public ChatResponse partial() {
            return partial;
        }
    }

    /** The connection failed or was reset before anything arrived. */
    public static final class ConnectionFailed extends ProviderException {
        public ConnectionFailed(String provider, String message, Throwable cause) {
            super(provider, 0, message, cause);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /**
     * The stream broke after output had arrived (reset, malformed event, an error event after 200). The partial
     * output and usage are kept; the request is never retried as if nothing had been sent.
     */
    public static final class StreamBroken extends ProviderException {
        private final ChatResponse partial;

        public StreamBroken(String provider, String message, ChatResponse partial, Throwable cause) {
            super(provider, 0, message, cause);
            this.partial = partial;
        }

        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public ChatResponse partial() {
            return partial;
        }
    }
}
