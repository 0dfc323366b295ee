package dev.hearth.llama.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hearth.llama.Grammar;
import dev.hearth.llama.LlamaException;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.ffi.HearthNativeC;
import dev.hearth.llama.ffi.Layouts;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.LogBridge;
import dev.hearth.llama.ffi.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;

/**
 * A native sampler chain built from {@link SamplingParams} (and a grammar); freed by {@link #close()}.
 * Single-threaded: used by the thread that generates.
 */
public final class Sampler implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger LIVE = new java.util.concurrent.atomic.AtomicInteger();
    private static volatile GrammarWay grammarWay = GrammarWay.BEST_FIRST;
    private final MemorySegment chain;
    private final boolean guarded; // a grammar can throw C++ exceptions: call through libhearth_native
    private final Arena scratch = Arena.ofShared();
    private final MemorySegment tokenOut = scratch.allocate(JAVA_INT);
    private final MemorySegment errorOut = scratch.allocate(ADDRESS);
    private boolean closed;

    public Sampler(LlamaModel model, SamplingParams params) {
        this(model, params, Grammar.NONE, new int[0]);
    }

    /**
     * A chain that starts with {@code grammar} (if any). {@code grammarPrefill} are tokens the prompt already
     * holds of the grammar's text (a chat template's generation prompt), fed to the grammar before sampling.
     */
    public Sampler(LlamaModel model, SamplingParams params, Grammar grammar, int[] grammarPrefill) {
        this.guarded = !grammar.isNone();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment chainParams = a.allocate(Layouts.LLAMA_SAMPLER_CHAIN_PARAMS);
            chainParams.set(JAVA_BOOLEAN, 0, true); // no_perf
            chain = (MemorySegment) LlamaC.llama_sampler_chain_init.invokeExact(chainParams);
            LIVE.incrementAndGet();
            if (!grammar.isNone()) {
                MemorySegment g = grammarSampler(a, model, grammar);
                add(g);
                for (int token : grammarPrefill) {
                    int status = (int) HearthNativeC.hearth_sampler_accept.invokeExact(g, token, errorOut);
                    if (status != 0) {
                        String why = takeError();
                        close();
                        throw new LlamaException("the chat format's grammar does not accept the generation prompt"
                                + " the template wrote (" + why + "); this model's tokenizer and template disagree");
                    }
                }
            }
            if (!params.logitBias().isEmpty()) {
                add(logitBias(a, model, params.logitBias()));
            }
            if (params.hasPenalties()) {
                add((MemorySegment) LlamaC.llama_sampler_init_penalties.invokeExact(model.nVocab(),
                        params.penaltyLastN(), params.repeatPenalty(), params.frequencyPenalty(),
                        params.presencePenalty()));
            }
            if (params.isGreedy()) {
                add((MemorySegment) LlamaC.llama_sampler_init_greedy.invokeExact());
            } else {
                if (params.topK() > 0) {
                    add((MemorySegment) LlamaC.llama_sampler_init_top_k.invokeExact(params.topK()));
                }
                if (params.topP() < 1f) {
                    add((MemorySegment) LlamaC.llama_sampler_init_top_p.invokeExact(params.topP(), 1L));
                }
                if (params.minP() > 0f) {
                    add((MemorySegment) LlamaC.llama_sampler_init_min_p.invokeExact(params.minP(), 1L));
                }
                add((MemorySegment) LlamaC.llama_sampler_init_temp.invokeExact(params.temperature()));
                add((MemorySegment) LlamaC.llama_sampler_init_dist.invokeExact((int) params.seed()));
            }
        } catch (Throwable t) {
            close(); // a request refused part-way (a bad token id, a grammar that does not parse) leaks nothing
            throw NativeCalls.rethrow(t);
        }
    }

    private MemorySegment grammarSampler(Arena a, LlamaModel model, Grammar grammar) throws Throwable {
        MemorySegment gbnf = a.allocateFrom(grammar.gbnf());
        MemorySegment root = a.allocateFrom("root");
        LogBridge.clearLastError();
        MemorySegment patterns = a.allocate(ADDRESS, Math.max(1, grammar.triggerPatterns().size()));
        for (int i = 0; i < grammar.triggerPatterns().size(); i++) {
            patterns.setAtIndex(ADDRESS, i, a.allocateFrom(grammar.triggerPatterns().get(i)));
        }
        int[] tokens = grammar.triggerTokens().stream().mapToInt(Integer::intValue).toArray();
        for (int t : tokens) {
            model.checkToken(t);
        }
        MemorySegment tokenArray = a.allocateFrom(JAVA_INT, tokens.length == 0 ? new int[1] : tokens);
        MemorySegment out = a.allocate(ADDRESS);
        // through the shim: a trigger pattern std::regex rejects throws a C++ exception, which would abort the JVM
        int status = (int) HearthNativeC.hearth_sampler_init_grammar.invokeExact(ModelAccess.vocab(model), gbnf, root,
                grammar.lazy() ? 1 : 0, patterns, (long) grammar.triggerPatterns().size(), tokenArray,
                (long) tokens.length, out, errorOut);
        if (status != 0) {
            throw new IllegalArgumentException("llama.cpp could not build the grammar (" + takeError() + "); a trigger"
                    + " pattern that is not a valid regular expression does this: fix the chat template or the grammar");
        }
        MemorySegment sampler = out.get(ADDRESS, 0);
        if (sampler.equals(MemorySegment.NULL)) {
            close();
            String reason = LogBridge.takeLastError();
            throw new IllegalArgumentException("the grammar does not parse"
                    + (reason == null ? "" : ": " + reason) + "; check its GBNF syntax and that it has a root rule");
        }
        return sampler;
    }

    private static MemorySegment logitBias(Arena a, LlamaModel model, Map<Integer, Float> bias) throws Throwable {
        long size = Layouts.LLAMA_LOGIT_BIAS.byteSize();
        MemorySegment array = a.allocate(Layouts.LLAMA_LOGIT_BIAS, bias.size());
        int i = 0;
        for (Map.Entry<Integer, Float> e : bias.entrySet()) {
            model.checkToken(e.getKey());
            array.set(JAVA_INT, i * size + Layouts.offset(Layouts.LLAMA_LOGIT_BIAS, "token"), e.getKey());
            array.set(JAVA_FLOAT, i * size + Layouts.offset(Layouts.LLAMA_LOGIT_BIAS, "bias"), e.getValue());
            i++;
        }
        return (MemorySegment) LlamaC.llama_sampler_init_logit_bias.invokeExact(model.nVocab(), bias.size(), array);
    }

    private void add(MemorySegment sampler) throws Throwable {
        LlamaC.llama_sampler_chain_add.invokeExact(chain, sampler); // the chain owns it from here
    }

    /**
     * Samples from the logits of output {@code index} of the last decode (-1 = the last output). With a grammar,
     * {@code utf8Pending} (the packed bytes of an incomplete last character, see TextAssembler) keeps the
     * output valid UTF-8.
     */
    public int sample(MemorySegment context, int index, int utf8Pending) {
        try {
            if (!guarded) {
                return (int) LlamaC.llama_sampler_sample.invokeExact(chain, context, index);
            }
            int status = (int) HearthNativeC.hearth_sampler_sample.invokeExact(chain, context, index, utf8Pending,
                    grammarWay.code, tokenOut, errorOut);
            if (status != 0) {
                throw new LlamaException("the grammar could not continue the output: " + takeError());
            }
            return tokenOut.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /**
     * How a chain with a grammar applies it (hearth_native.h's HEARTH_SAMPLE_*). Only {@link #BEST_FIRST} is used in
     * production; the others are the slower ways it replaced, kept for the tests that prove it picks the same tokens
     * and for the grammar benchmark's comparison rows.
     */
    public enum GrammarWay {
        /** Check the unconstrained pick; when refused, check the best candidates first; filter all only if needed. */
        BEST_FIRST(0),
        /** Filter the whole vocabulary through the grammar before every pick. */
        FILTER_FIRST(1),
        /** Check the unconstrained pick; when refused, filter the whole vocabulary (llama.cpp's common sampler). */
        FILTER_ON_REFUSAL(2);

        private final int code;

        GrammarWay(int code) {
            this.code = code;
        }
    }

    /** For tests and benchmarks only: the way every sampler in this JVM applies its grammar from now on. */
    public static void grammarWayForTests(GrammarWay way) {
        grammarWay = Objects.requireNonNull(way);
    }

    /**
     * For benchmarks: counts since the shim was loaded over every pick with a grammar in this process: picks, first
     * picks the grammar (or the UTF-8 rule) refused, picks that filtered the whole vocabulary; then the sampling
     * thread's CPU nanoseconds in the unconstrained picks and their checks, the best-first searches, and the
     * whole-vocabulary filters (hearth_sampler_sample_counts).
     */
    public static long[] grammarPickCounts() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment counts = a.allocate(JAVA_LONG, 6);
            HearthNativeC.hearth_sampler_sample_counts.invokeExact(counts);
            return counts.toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** Sampler chains built and not yet freed, in this JVM (each holds its grammar and samplers). */
    public static int live() {
        return LIVE.get();
    }

    private String takeError() {
        String message = HearthNativeC.takeString(errorOut.get(ADDRESS, 0));
        return message == null ? "unknown error" : message;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                if (chain != null && !chain.equals(MemorySegment.NULL)) { // null while the constructor failed early
                    LlamaC.llama_sampler_free.invokeExact(chain);
                    LIVE.decrementAndGet();
                }
            } catch (Throwable t) {
                throw NativeCalls.rethrow(t);
            } finally {
                scratch.close();
            }
        }
    }
}
