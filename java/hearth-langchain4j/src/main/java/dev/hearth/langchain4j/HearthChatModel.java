package dev.hearth.langchain4j;

import dev.hearth.runtime.Hearth;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Set;

/**
 * LangChain4j's {@link ChatModel} answered by Hearth: each request is routed ({@code auto}) or run on the model it
 * names, behind Hearth's privacy guard, budgets and ledger, like any call through the runtime. The answer's metadata is
 * a {@link HearthChatResponseMetadata}: which model answered, why, what it cost. Failures are LangChain4j's exception
 * types. Thread-safe; the caller keeps and closes the {@link Hearth}.
 */
public final class HearthChatModel implements ChatModel {
    private final FrontDoor door;

    public HearthChatModel(Hearth hearth, HearthChatOptions options) {
        this.door = new FrontDoor(hearth, options);
    }

    /** Routed by Hearth ({@code auto}), with the defaults. */
    public static HearthChatModel of(Hearth hearth) {
        return new HearthChatModel(hearth, HearthChatOptions.defaults());
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return door.call(request, null);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return door.options().requestDefaults();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return door.options().listeners();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** Hearth enforces a JSON schema on local models (a grammar) and checks every answer against it. */
    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }
}
