package dev.hearth.llama.engine;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.ChatResult;
import dev.hearth.llama.ChatTemplate;
import dev.hearth.llama.FinishReason;
import dev.hearth.llama.GenerationResult;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.internal.ChatPlan;
import dev.hearth.llama.internal.ChatStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A conversation through an engine: the model's chat template renders it (tools, reasoning, JSON schema), the engine
 * decodes it beside its other requests, and the template's parser turns the deltas into content, reasoning and tool
 * calls on the calling thread, which waits for the answer.
 */
final class EngineChat {
    private EngineChat() {
    }

    static ChatResult run(LlamaEngine engine, LlamaModel model, List<ChatMessage> messages, ChatOptions options,
            ChatSink sink, Duration deadline) throws InterruptedException {
        Objects.requireNonNull(sink, "sink");
        ChatTemplate template = model.chatTemplate(options.templateOverride());
        ChatTemplate.Rendered rendered = template.render(messages, options);
        ChatPlan plan = ChatPlan.of(model, rendered, options);
        LinkedBlockingQueue<String> deltas = new LinkedBlockingQueue<>();
        EngineJob job = new EngineJob(plan.prompt(), plan.params(), deltas::add, LlamaEngine.deadlineOf(deadline),
                plan.grammarPrefill(), plan.shownSpecial());
        job.conversation = dev.hearth.api.ConversationKey.of(messages);
        Completion completion = engine.enqueue(job);
        ChatStream stream = new ChatStream(template, rendered);
        ChatTemplate.Parsed parsed;
        EngineResult result;
        try {
            while (!(completion.isDone() && deltas.isEmpty())) {
                String delta = deltas.poll(20, TimeUnit.MILLISECONDS);
                if (delta != null) {
                    stream.append(delta, sink);
                    if (stream.tooNested()) {
                        completion.cancel(); // the slot stops at its next step; the answer ends as ChatStream says
                    }
                }
            }
            result = completion.result();
            parsed = stream.finish(sink);
        } catch (dev.hearth.api.CallCancelledException e) { // the caller left: recorded with what it had used
            completion.cancel();
            throw e.withUsedSoFar(new dev.hearth.api.Usage(plan.prompt().length, job.generatedCount(), 0, 0, 0));
        } catch (InterruptedException | RuntimeException | Error e) { // the caller or its sink gave up: so does the slot
            completion.cancel();
            throw e;
        }
        RequestStats s = result.stats();
        GenerationResult generation = new GenerationResult(result.text(), stream.tooNested()
                ? FinishReason.NESTING_LIMIT : result.finishReason(), s.promptTokens(),
                s.generatedTokens(), s.timeToFirstToken().minus(s.queueWait()), s.decodeTime(), result.tokens(),
                s.timeToFirstToken(), s.draftedTokens(), s.acceptedDraftTokens());
        return new ChatResult(parsed.content(), parsed.reasoning(), parsed.toolCalls(), rendered.format(),
                stream.raw(), generation);
        }
}
