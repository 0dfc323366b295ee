package example;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.router.FallbackChain;
import dev.hearth.runtime.Hearth;
import java.util.List;

/** Loads a local GGUF model in this process, streams one chat answer to standard output, and says who answered. */
public final class EmbeddedChat {
    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : System.getenv("HEARTH_EXAMPLE_MODEL");
        if (model == null || model.isBlank()) {
            System.err.println("usage: EmbeddedChat MODEL (a .gguf file or a model cache name),"
                    + " or set HEARTH_EXAMPLE_MODEL");
            System.exit(2);
        }
        try (Hearth hearth = Hearth.fromEnvironment()) {
            String id = hearth.use(model); // a file, a cache name or PROVIDER:MODEL: the model this request names
            ChatRequest request = ChatRequest.of(id, List.of(ChatMessage.user("Tell me a very short story.")))
                    .withMaxTokens(48);
            FallbackChain.Routed answer = hearth.stream(request, System.out::print);
            System.out.println();
            System.out.println("-- " + answer.answeredBy().id() + (answer.answeredBy().local() ? ", on this machine"
                    : ", at " + answer.answeredBy().provider()) + ", " + answer.response().usage().outputTokens()
                    + " tokens");
        }
    }
}
