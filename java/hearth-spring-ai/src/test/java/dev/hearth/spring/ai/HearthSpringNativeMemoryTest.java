package dev.hearth.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ChildJvm;
import dev.hearth.testkit.NativeHeap;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot application closed gives back the native memory its Hearth took: the loaded model's context, KV cache and
 * compute buffers go with the context (measured as the runtime's unload test measures, {@link NativeHeap}).
 */
class HearthSpringNativeMemoryTest {
    private static final long MIB = 1 << 20;

    /** In a JVM of its own: the C heap is the whole process's, and other tests' threads allocate while it is read. */
    @Test
    void closingTheApplicationReturnsTheNativeMemoryItsModelTook(@TempDir Path dir) throws Exception {
        ChildJvm.Outcome child = ChildJvm.run(HearthSpringNativeMemoryTest.class, Map.of(), 180, dir.toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("native heap: before");
        child.output().lines().filter(l -> l.startsWith("native heap")).forEach(System.out::println); // the figures
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        // the first run sets up what stays for the process's life (backends, thread pools, Spring's caches, the JIT)
        run(dir);
        long before = NativeHeap.settled(), peak = 0;
        long[] after = new long[2];
        for (int i = 0; i < 2; i++) {
            peak = Math.max(peak, run(dir));
            after[i] = NativeHeap.settled();
        }
        System.out.printf("native heap: before %.1f MiB, peak %.1f MiB, after each cycle %.1f, %.1f MiB%n",
                before / (double) MIB, peak / (double) MIB, after[0] / (double) MIB, after[1] / (double) MIB);
        long loaded = peak - before;
        assertThat(loaded).as("the loaded model's memory was counted").isGreaterThan(2 * MIB);
        // a model context kept per cycle would keep all of `loaded`, in every cycle
        long smallestStep = Math.min(after[0] - before, after[1] - after[0]);
        assertThat(smallestStep).as("native memory kept by the cycle that kept least").isLessThan(loaded / 2);
        assertThat(after[1] - before).as("native memory in use after two applications").isLessThan(loaded);
        System.exit(0);
    }

    /** Starts the application, answers once, reads the C heap while the model is loaded, closes it. */
    private static long run(Path dir) throws Exception {
        try (ConfigurableApplicationContext context = TestApplication.start(dir,
                new Class<?>[] {TestApplication.class}, "logging.level.root=WARN")) {
            context.getBean(ChatModel.class).call("Say hello.");
            return NativeHeap.inUse();
        }
    }
}
