package dev.hearth.llama;

import dev.hearth.testkit.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.TokenSink;
import dev.hearth.llama.engine.Completion;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.LlamaEngine;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing native things from the wrong thread or in the wrong order must not free memory that is in use. Each case
 * runs in a child JVM: on a build where it is not safe the child dies in native code, and that is a failed test here
 * instead of a lost run.
 */
class LifetimeTest {
    /** The child: one scenario on the tiny model; prints "survived" and exits 0 when it went as it should. */
    public static void main(String[] args) throws Exception {
        try (LlamaModel model = LlamaModel.load(Path.of(args[1]), ModelParams.defaults())) {
            switch (args[0]) {
                case "stream-closed-by-another-thread" -> streamClosedByAnotherThread(model);
                case "stream-abandoned-by-a-dead-thread" -> streamAbandonedByADeadThread(model);
                case "model-closed-under-its-engine" -> modelClosedUnderItsEngine(model);
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
        System.out.println("survived");
    }

    private static GenerationParams longRun() {
        return GenerationParams.defaults().withMaxTokens(400).withIgnoreEog(true)
                .withSampling(SamplingParams.defaults().withTemperature(1f).withSeed(1));
    }

    /** Another thread closes a stream again and again while its owner samples: it may only cancel. */
    private static void streamClosedByAnotherThread(LlamaModel model) throws Exception {
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            CountDownLatch iterating = new CountDownLatch(1);
            AtomicReference<Throwable> ownerFailure = new AtomicReference<>();
            AtomicReference<TokenStream> stream = new AtomicReference<>();
            Thread owner = new Thread(() -> {
                try (TokenStream s = ctx.stream("once upon a time", longRun())) {
                    stream.set(s);
                    for (String piece : s) {
                        iterating.countDown();
                    }
                    check(s.result().finishReason() == FinishReason.CANCELLED, "the stream ends cancelled, not "
                            + s.result().finishReason());
                } catch (Throwable t) {
                    ownerFailure.set(t);
                }
            });
            owner.start();
            check(iterating.await(60, TimeUnit.SECONDS), "the owner iterates");
            for (int i = 0; i < 200 && owner.isAlive(); i++) {
                stream.get().close();
            }
            owner.join(60_000);
            check(!owner.isAlive(), "the owner's iteration ended");
            check(ownerFailure.get() == null, "the owner saw no error: " + ownerFailure.get());
            check(ctx.generate("again", GenerationParams.defaults().withMaxTokens(3).withIgnoreEog(true),
                    TokenSink.discard()).generatedTokens() == 3, "the context is usable again");
        }
    }

    /** A thread that ended mid-stream without closing it: another thread can close the stream and the model. */
    private static void streamAbandonedByADeadThread(LlamaModel model) throws Exception {
        LlamaContext ctx = model.newContext(TestModels.context());
        AtomicReference<TokenStream> stream = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            TokenStream s = ctx.stream("once upon a time", longRun());
            Iterator<String> it = s.iterator();
            it.hasNext();
            stream.set(s); // and the thread ends without closing it
        });
        owner.start();
        owner.join(60_000);
        stream.get().close();
        ctx.close();
        check(model.openContexts() == 0, "the context is closed");
    }

    /** Closing the model while its engine generates ends the engine first. */
    private static void modelClosedUnderItsEngine(LlamaModel model) throws Exception {
        LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(2).withContextSize(1024)
                .withThreads(1));
        CountDownLatch started = new CountDownLatch(1);
        Completion running = engine.submit(model.tokenize("once upon a time", true, false), longRun(),
                text -> started.countDown(), null);
        check(started.await(60, TimeUnit.SECONDS), "the engine generates");
        model.close();
        try {
            running.future().get(60, TimeUnit.SECONDS);
            check(false, "the request should have ended with an error");
        } catch (ExecutionException e) {
            check(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("closed"),
                    "the request says the engine closed: " + e.getCause());
        }
        engine.close(); // the user's own close afterwards does nothing
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream-closed-by-another-thread", "stream-abandoned-by-a-dead-thread",
            "model-closed-under-its-engine"})
    void nothingIsFreedWhileInUse(String scenario) throws Exception {
        ChildJvm.Outcome child = ChildJvm.run(LifetimeTest.class, Map.of(), 180, scenario,
                TestModels.tiny().toString());
        assertThat(child.output()).as(scenario).doesNotContain("SIGSEGV").doesNotContain("A fatal error");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("survived");
    }
}
