package dev.hearth.langchain4j;

import dev.hearth.ledger.Caller;
import dev.hearth.router.Router;
import dev.hearth.runtime.CallOptions;
import dev.hearth.runtime.LocalOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link HearthChatModel} or {@link HearthStreamingChatModel} calls Hearth.
 *
 * @param model       the model spec a request without a model name of its own runs on: {@code auto} (the router
 *                    decides) or anything {@link dev.hearth.runtime.Hearth#use(String)} takes (a GGUF file, a cached
 *                    model's name, {@code PROVIDER:MODEL}, a configured model's id, {@code agent:NAME})
 * @param parameters  LangChain4j's default request parameters (temperature, top-p, max tokens, stop sequences, tools,
 *                    tool choice, response format); a request's own win, and {@code model} wins over their model name
 * @param listeners   told of each request, answer and error, as LangChain4j's own models tell them
 * @param caller      who the ledger records the calls as (an agent's or a key's budgets apply)
 * @param call        the response cache's mode, a routing preset or a conversation, for every call
 * @param local       how a local model named by its file or cache name runs (context, chat template, top-k, seed),
 *                    as {@link dev.hearth.runtime.Hearth#use(String, LocalOptions)} takes them
 */
public record HearthChatOptions(String model, ChatRequestParameters parameters, List<ChatModelListener> listeners,
        Caller caller, CallOptions call, LocalOptions local) {
    public HearthChatOptions {
        model = model == null || model.isBlank() ? Router.AUTO : model.strip();
        parameters = parameters == null ? ChatRequestParameters.builder().build() : parameters;
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        caller = caller == null ? Caller.ANONYMOUS : caller;
        call = call == null ? CallOptions.DEFAULT : call;
        local = local == null ? LocalOptions.defaults() : local;
    }

    /** {@code auto}, LangChain4j's and Hearth's defaults, no listeners, an anonymous caller. */
    public static HearthChatOptions defaults() {
        return new HearthChatOptions(null, null, null, null, null, null);
    }

    public HearthChatOptions withModel(String spec) {
        return new HearthChatOptions(Objects.requireNonNull(spec, "spec"), parameters, listeners, caller, call, local);
    }

    public HearthChatOptions withParameters(ChatRequestParameters p) {
        return new HearthChatOptions(model, Objects.requireNonNull(p, "parameters"), listeners, caller, call, local);
    }

    public HearthChatOptions withListeners(List<ChatModelListener> l) {
        return new HearthChatOptions(model, parameters, Objects.requireNonNull(l, "listeners"), caller, call, local);
    }

    public HearthChatOptions withCaller(Caller c) {
        return new HearthChatOptions(model, parameters, listeners, Objects.requireNonNull(c, "caller"), call, local);
    }

    public HearthChatOptions withCall(CallOptions c) {
        return new HearthChatOptions(model, parameters, listeners, caller, Objects.requireNonNull(c, "call"), local);
    }

    public HearthChatOptions withLocal(LocalOptions l) {
        return new HearthChatOptions(model, parameters, listeners, caller, call, Objects.requireNonNull(l, "local"));
    }

    /** The parameters LangChain4j lays each request's own over: {@link #parameters()} with {@link #model()}. */
    ChatRequestParameters requestDefaults() {
        return parameters.overrideWith(ChatRequestParameters.builder().modelName(model).build());
    }
}
