package dev.hearth.llama.backend;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.HearthException;
import dev.hearth.api.TokenSink;
import dev.hearth.api.spi.BackendProvider;
import dev.hearth.api.spi.BackendTarget;
import dev.hearth.api.spi.Completer;
import dev.hearth.api.spi.Completion;
import dev.hearth.api.spi.CompletionRequest;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.LoadedModel;
import dev.hearth.api.spi.LocalModel;
import dev.hearth.api.spi.LocalTuning;
import dev.hearth.api.spi.MemoryEstimate;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.Grammar;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.SamplingParams;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.EngineResult;
import dev.hearth.llama.engine.LlamaChatBackend;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.gguf.GgufFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * GGUF models through llama.cpp, as a {@link BackendProvider}: the memory estimate from GGUF metadata
 * ({@link GgufMemory}), and a model loaded with the engine that serves it (sized by the host's context and slots);
 * unloading stops the engine first.
 */
public final class LlamaBackend implements BackendProvider {
    @Override
    public String name() {
        return "llama.cpp";
    }

    /** A file Hearth runs itself (provider "local"): a GGUF model. */
    @Override
    public boolean serves(BackendTarget target) {
        return target.local() && target.provider().equals("local") && Files.isRegularFile(target.location());
    }

    @Override
    public Optional<LocalModel> local(BackendTarget target) {
        return serves(target) ? Optional.of(new Gguf(target.id(), target.location())) : Optional.empty();
    }

    @Override
    public Optional<String> unreadable(Path file) {
        try {
            GgufFile.read(file);
            return Optional.empty();
        } catch (HearthException | IllegalArgumentException | java.io.UncheckedIOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** A GGUF file before it is loaded; its header is read once. */
    private static final class Gguf implements LocalModel {
        private final String id;
        private final Path file;
        private GgufFile header;

        Gguf(String id, Path file) {
            this.id = id;
            this.file = file;
        }

        private synchronized GgufFile header() {
            if (header == null) {
                header = GgufFile.read(file);
            }
            return header;
        }

        @Override
        public int layers() {
            GgufFile f = header();
            return (int) f.integer(f.architecture() + ".block_count").orElse(0);
        }

        @Override
        public MemoryEstimate estimate(EstimateParams params) {
            return GgufMemory.estimate(header(), params);
        }

        @Override
        public java.util.SequencedMap<String, String> metadata() {
            GgufFile f = header();
            String a = f.architecture();
            var facts = new java.util.LinkedHashMap<String, String>();
            facts.put("architecture", a);
            facts.put("layers", String.valueOf(f.integer(a + ".block_count").orElse(0)));
            facts.put("embedding", String.valueOf(f.integer(a + ".embedding_length").orElse(0)));
            facts.put("context", String.valueOf(f.integer(a + ".context_length").orElse(0)));
            facts.put("tensors", String.format(java.util.Locale.ROOT, "%d (%.1f MiB of weights)", f.tensors().size(),
                    f.tensorBytes() / 1048576.0));
            dev.hearth.llama.gguf.Quantization.of(f).ifPresent(q -> facts.put("quantization", q));
            f.string("general.license").ifPresent(l -> facts.put("license", l));
            return facts;
        }

        /** Loads the weights on the CPU for llama.cpp's own description, then frees them. */
        @Override
        public java.util.SequencedMap<String, String> describe() {
            var facts = new java.util.LinkedHashMap<String, String>();
            try (LlamaModel m = LlamaModel.load(file, ModelParams.defaults().withGpuLayers(0))) {
                facts.put("file", m.path().toString());
                facts.put("natives", dev.hearth.llama.Natives.directory().toString());
                facts.put("description", m.description());
                facts.put("parameters", String.format("%,d (%,d bytes)", m.nParams(), m.size()));
                facts.put("shape", String.format("%d layers, width %d, %d heads (%d KV), vocabulary %d, trained"
                        + " context %d", m.nLayer(), m.nEmbd(), m.nHead(), m.nHeadKv(), m.nVocab(), m.nCtxTrain()));
                facts.put("chat template", m.chatTemplateSource().isPresent() ? "yes" : "none (ChatML fallback)");
            }
            return facts;
        }

        @Override
        public int trainedContext() {
            GgufFile f = header();
            return (int) Math.min(Integer.MAX_VALUE, f.integer(f.architecture() + ".context_length").orElse(0));
        }

        /** A synthetic model (random weights, see the testkit) says so in its description. */
        @Override
        public java.util.List<String> notes() {
            return header().string("general.description").filter(d -> d.contains("random weights"))
                    .map(d -> java.util.List.of(id + " is a synthetic model with random weights: its output is"
                            + " meaningless. Name a real GGUF model for real answers."))
                    .orElse(java.util.List.of());
        }

        @Override
        public Optional<dev.hearth.api.spi.Tokenizer> tokenizer() {
            return Optional.of(new VocabTokenizer(LlamaModel.load(file, ModelParams.defaults().withVocabOnly(true))));
        }

        @Override
        public LoadedModel load(EstimateParams p, int threads) {
            LlamaModel model = LlamaModel.load(file, ModelParams.defaults().withGpuLayers(p.gpuLayers()));
            try {
                LlamaEngine engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(p.parallel())
                        .withContextSize(Math.max(256, p.contextSize())).withBatchSize(Math.max(p.microBatch(), 64))
                        .withKvCacheType(p.kvCacheType()).withThreads(threads));
                return new Served(id, model, engine);
            } catch (RuntimeException | Error e) {
                model.close();
                throw e;
            }
        }
    }

    /** A loaded model and the engine that serves it. */
    public record Served(String id, LlamaModel model, LlamaEngine engine) implements LoadedModel {
        @Override
        public ChatBackend chat(LocalTuning tuning) {
            return new LlamaChatBackend(id, engine, tuned(tuning));
        }

        @Override
        public dev.hearth.api.spi.PrefixReport prefixes() {
            return engine.prefixes();
        }

        @Override
        public Optional<Completer> completer() {
            return Optional.of(this::complete);
        }

        private Completion complete(String prompt, CompletionRequest r, TokenSink sink) throws InterruptedException {
            SamplingParams sampling = r.temperature() <= 0 ? SamplingParams.greedy()
                    : SamplingParams.defaults().withTemperature((float) r.temperature()).withTopK(r.topK())
                    .withTopP((float) r.topP()).withSeed(r.seed());
            GenerationParams params = GenerationParams.defaults().withMaxTokens(r.maxTokens())
                    .withStopSequences(r.stop()).withSampling(sampling).withIgnoreEog(r.ignoreEos());
            if (r.jsonSchema() != null) {
                params = params.withJsonSchema(r.jsonSchema());
            } else if (r.grammar() != null) {
                params = params.withGrammar(Grammar.gbnf(r.grammar()));
            }
            EngineResult result = engine.submit(prompt, params, sink).result();
            var s = result.stats();
            return new Completion(result.text(), result.finishReason().name().toLowerCase(java.util.Locale.ROOT),
                    s.promptTokens(), s.cachedPromptTokens(), s.timeToFirstToken(), s.generatedTokens(),
                    s.decodeTokensPerSecond());
        }

        @Override
        public void close() {
            engine.close();
            model.close();
        }
    }

    /** What a user's tuning changes in the options a request asked for. */
    static UnaryOperator<ChatOptions> tuned(LocalTuning t) {
        return asked -> {
            ChatOptions o = t.template() == null ? asked : asked.withTemplateOverride(t.template());
            SamplingParams s = o.generation().sampling();
            if (t.setsSampling() && !s.isGreedy()) {
                s = s.withTopK(t.topK()).withSeed(t.seed());
            }
            return o.withGeneration(o.generation().withSampling(s).withIgnoreEog(t.ignoreEos()));
        };
    }
}
