package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.api.TokenSink;
import dev.hearth.api.ToolChoice;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.testkit.ChildJvm;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.TestSeeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Models of different vocabularies loaded, used and freed in turn, each under JSON and tool requests through its
 * engine and a context, with closes from other threads while they generate: the model closed under its engine, a
 * stream closed by another thread, an engine closed while its queue is full. Runs in a child JVM, where a use after
 * free is a dead child and a failed test here. Each request must end with a result or a clear "closed" error.
 */
class LifetimeStressTest {
    private static final String OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\","
            + "\"items\":{\"type\":\"array\"}}}}";
    private static final dev.hearth.api.Tool LOOKUP = ToolFamilies.WEATHER;

    public static void main(String[] args) throws Exception {
        Path[] files = {Path.of(args[0]), Path.of(args[1])};
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        int requests = 0;
        for (int round = 0; round < 4; round++) {
            for (Path file : files) {
                requests += oneModel(file, round, random);
                System.out.println("round " + round + " " + file.getFileName() + ": " + requests + " requests so far");
            }
        }
        System.out.println("survived " + requests + " requests");
    }

    private static int oneModel(Path file, int round, SplittableRandom random) throws Exception {
        LlamaModel model = LlamaModel.load(file, ModelParams.defaults());
        LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(2).withContextSize(1024)
                .withThreads(1).withQueueCapacity(4));
        GenerationParams plain = GenerationParams.defaults().withMaxTokens(150 + random.nextInt(200))
                .withSampling(SamplingParams.defaults().withTemperature(1.5f).withSeed(random.nextInt(1_000_000)));
        GenerationParams json = plain.withJsonSchema(OBJECT_SCHEMA);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch generating = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            pending.add(engine.submit("{\"a\": [", json, piece -> generating.countDown()).future());
        }
        pending.add(CompletableFuture.runAsync(() -> chat(engine, ChatOptions.defaults().withReasoning(false)
                .withTools(List.of(LOOKUP), ToolChoice.REQUIRED).withGeneration(plain)), threads));
        pending.add(CompletableFuture.runAsync(() -> chat(engine, ChatOptions.defaults().withReasoning(false)
                .withJsonSchema(OBJECT_SCHEMA).withGeneration(plain)), threads));
        // a context stream on a thread of its own, closed by this one while it iterates
        LlamaContext ctx = model.newContext(TestModels.context());
        CountDownLatch iterating = new CountDownLatch(1);
        var holder = new java.util.concurrent.atomic.AtomicReference<TokenStream>();
        CompletableFuture<Void> streamed = CompletableFuture.runAsync(() -> {
            try (TokenStream s = ctx.stream("[", json)) {
                holder.set(s);
                for (String piece : s) {
                    iterating.countDown();
                }
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
        check(generating.await(120, TimeUnit.SECONDS), "the engine generates");
        check(iterating.await(120, TimeUnit.SECONDS), "the stream iterates");
        holder.get().close(); // from the wrong thread: only cancels
        streamed.get(120, TimeUnit.SECONDS);
        ctx.close();
        switch (round % 3) {
            case 0 -> model.close(); // under the running engine: the model ends it first
            case 1 -> {
                engine.close(); // from this thread while its requests run
                model.close();
            }
            default -> {
                Thread closer = Thread.ofPlatform().start(engine::close); // from another thread, interrupted
                closer.interrupt();
                closer.join();
                model.close();
            }
        }
        for (CompletableFuture<?> f : pending) {
            try {
                f.get(120, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause()
                        : e.getCause();
                check(String.valueOf(cause.getMessage()).contains("closed"), "a request ended with " + cause);
            }
        }
        threads.close();
        check(model.openContexts() == 0, "the model's contexts are closed");
        return pending.size() + 1;
    }

    private static void chat(LlamaEngine engine, ChatOptions options) {
        try {
            engine.chat(List.of(ChatMessage.user("What is the weather in Paris? Answer in JSON.")), options,
                    ChatSink.discard(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    @Test
    void modelsReloadedAndClosedUnderLoadNeverCrash() throws Exception {
        Path small = TestModels.tiny();
        Path large = TestModels.of(new SyntheticModel("wide-vocab", 64, 1, 4, 2, 128, 60_000, 2048,
                dev.hearth.testkit.WeightType.F32, false, 3));
        ChildJvm.Outcome child = ChildJvm.run(LifetimeStressTest.class, Map.of(), 200, small.toString(),
                large.toString(), Long.toString(TestSeeds.vary(11)));
        assertThat(child.output()).doesNotContain("SIGSEGV").doesNotContain("A fatal error")
                .doesNotContain("terminate called");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("survived");
    }
}
