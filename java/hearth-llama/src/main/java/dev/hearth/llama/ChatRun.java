package dev.hearth.llama;

import dev.hearth.api.ChatSink;
import dev.hearth.llama.internal.ChatPlan;
import dev.hearth.llama.internal.ChatStream;

/** One chat answer in a {@link LlamaContext}: the plan's generation, parsed as it grows. Owning thread only. */
final class ChatRun implements AutoCloseable {
    private final ChatTemplate.Rendered rendered;
    private final ChatStream stream;
    private final Generation generation;

    ChatRun(LlamaContext context, ChatTemplate template, ChatTemplate.Rendered rendered, ChatOptions options) {
        this.rendered = rendered;
        this.stream = new ChatStream(template, rendered);
        ChatPlan plan = ChatPlan.of(context.model(), rendered, options);
        this.generation = new Generation(context, plan.prompt(), plan.params(), plan.grammarPrefill(),
                plan.shownSpecial());
    }

    ChatResult run(ChatSink sink) {
        String text;
        while ((text = generation.next()) != null) {
            stream.append(text, sink);
            if (stream.tooNested()) {
                generation.stop(FinishReason.NESTING_LIMIT);
            }
        }
        GenerationResult result = generation.result();
        if (stream.tooNested()) {
            result = result.withFinishReason(FinishReason.NESTING_LIMIT);
        }
        ChatTemplate.Parsed parsed = stream.finish(sink);
        return new ChatResult(parsed.content(), parsed.reasoning(), parsed.toolCalls(), rendered.format(),
                stream.raw(), result);
    }

    @Override
    public void close() {
        generation.close();
    }
}
