package dev.hearth.llama.backend;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.llama.ContextParams;
import dev.hearth.llama.LlamaContext;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** What llama.cpp really allocates for a model and a context, read from the buffer sizes it logs. */
final class AllocationProbe {
    private static final Pattern SIZE = Pattern.compile("(\\S+)\\s+(model|KV|compute|output) buffer size =\\s+([0-9.]+) MiB");

    record Allocation(long weights, long kv, long compute, long output) {
        long total() {
            return weights + kv + compute + output;
        }
    }

    private AllocationProbe() {
    }

    static synchronized Allocation measure(Path model, ModelParams load, ContextParams context) {
        Logger log = (Logger) LoggerFactory.getLogger("llama.cpp");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        ch.qos.logback.classic.Level level = log.getLevel();
        log.setLevel(ch.qos.logback.classic.Level.INFO); // the buffer sizes are logged at INFO
        try (LlamaModel m = LlamaModel.load(model, load); LlamaContext c = m.newContext(context)) {
            long weights = 0, kv = 0, compute = 0, output = 0;
            for (ILoggingEvent e : lines.list) {
                Matcher x = SIZE.matcher(e.getFormattedMessage());
                if (x.find()) {
                    long bytes = (long) (Double.parseDouble(x.group(3)) * 1048576);
                    switch (x.group(2)) {
                        case "model" -> weights += bytes;
                        case "KV" -> kv += bytes;
                        case "compute" -> compute += bytes;
                        default -> output += bytes;
                    }
                }
            }
            return new Allocation(weights, kv, compute, output);
        } finally {
            log.detachAppender(lines);
            log.setLevel(level);
        }
    }
}
