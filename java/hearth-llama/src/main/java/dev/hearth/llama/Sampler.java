package dev.hearth.llama;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.llama.ffi.Layouts;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/** A native sampler chain built from {@link SamplingParams}; freed by {@link #close()}. Single-threaded. */
final class Sampler implements AutoCloseable {
    private final MemorySegment chain;
    private boolean closed;

    Sampler(LlamaModel model, SamplingParams params) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment chainParams = a.allocate(Layouts.LLAMA_SAMPLER_CHAIN_PARAMS);
            chainParams.set(JAVA_BOOLEAN, 0, true); // no_perf
            chain = (MemorySegment) LlamaC.llama_sampler_chain_init.invokeExact(chainParams);
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
            throw NativeCalls.rethrow(t);
        }
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

    /** Samples from the logits of output {@code index} of the last decode (-1 = the last output). */
    int sample(MemorySegment context, int index) {
        try {
            return (int) LlamaC.llama_sampler_sample.invokeExact(chain, context, index);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LlamaC.llama_sampler_free.invokeExact(chain);
            } catch (Throwable t) {
                throw NativeCalls.rethrow(t);
            }
        }
    }
}
