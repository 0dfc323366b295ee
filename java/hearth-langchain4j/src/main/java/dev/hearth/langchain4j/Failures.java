package dev.hearth.langchain4j;

import dev.hearth.api.CallCancelledException;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.EngineOverloadedException;
import dev.hearth.api.InvalidModelException;
import dev.hearth.api.ModelUnavailableException;
import dev.hearth.api.ProviderException;
import dev.hearth.ledger.LedgerException;
import dev.hearth.router.PrivacyRefusedException;
import dev.hearth.router.RouteRejectedException;
import dev.hearth.router.SpendRefusedException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;

/**
 * What a Hearth failure means to a LangChain4j caller, as LangChain4j's exception types (retriable or not, as each
 * vendor module of LangChain4j raises them), with Hearth's message, which says what to do, and the failure as the
 * cause. Pure.
 */
final class Failures {
    private Failures() {
    }

    static LangChain4jException of(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return switch (failure) {
            case LangChain4jException e -> e;
            case ProviderException e -> upstream(e, message);
            case EngineOverloadedException e -> new InternalServerException(message, e);
            case ContextOverflowException e -> new InvalidRequestException(message, e);
            case RouteRejectedException e -> new InvalidRequestException(message, e);
            case PrivacyRefusedException e -> new ContentFilteredException(message, e);
            case SpendRefusedException e -> new NonRetriableException(message, e);
            case InvalidModelException e -> new NonRetriableException(message, e);
            case ModelUnavailableException e -> new InternalServerException(message, e);
            case LedgerException e -> new RetriableException("the ledger (calls, budgets) cannot be written now: "
                    + message + "; check HEARTH_LEDGER_PATH or HEARTH_DATABASE_URL", e);
            case CallCancelledException e -> new LangChain4jException(message, e);
            case InterruptedException e -> {
                Thread.currentThread().interrupt();
                yield new LangChain4jException("the call was interrupted before it answered", e);
            }
            case IllegalArgumentException e -> new InvalidRequestException(message, e);
            default -> new LangChain4jException(message, failure);
        };
    }

    /** A vendor's failure as LangChain4j's module for that vendor would have raised it. */
    private static LangChain4jException upstream(ProviderException e, String message) {
        return switch (e) {
            case ProviderException.AuthenticationFailed a -> new AuthenticationException(message, e);
            case ProviderException.RateLimited r -> new RateLimitException(message, e);
            case ProviderException.TimedOut t -> new TimeoutException(message, e);
            case ProviderException.BadRequest b -> new InvalidRequestException(message, e);
            case ProviderException.InsufficientBalance b -> new NonRetriableException(message, e);
            default -> new InternalServerException(message, e);
        };
    }
}
