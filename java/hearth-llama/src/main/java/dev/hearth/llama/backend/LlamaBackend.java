package dev.hearth.llama.backend;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.HearthException;
import dev.hearth.api.SpeculationSetting;
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
import dev.hearth.llama.Speculation;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.EngineResult;
import dev.hearth.llama.engine.LlamaChatBackend;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.gguf.GgufFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * GGUF models through llama.cpp, as a {@link BackendProvider}: the memory estimate from GGUF metadata
 * ({@link GgufMemory}), and a model loaded with the engine that serves it (sized by the host's context and slots);
 * unloading stops the engine first. A model's options ({@link BackendTarget#settings}): {@code speculation} (its
 * requests' default, see {@link Speculation#parse}) and {@code draft_model} (a smaller GGUF with the same vocabulary,
 * loaded beside it and counted in its estimate; with no {@code speculation} it makes draft-model the default). A GGUF
 * that declares a pooling is an embedding model ({@link LlamaEmbedder}): loaded with an embedding context, not an engine.
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
        if (!serves(target)) {
            return Optional.empty();
        }
        String draft = target.settings().get(BackendTarget.DRAFT_MODEL);
        String asked = target.settings().get(BackendTarget.SPECULATION);
        Speculation speculation = asked != null ? Speculation.parse(asked)
                : draft != null ? Speculation.draftModel(8) : GenerationParams.defaults().speculation();
        if (speculation.mode() == Speculation.Mode.DRAFT_MODEL && draft == null) {
            throw new IllegalArgumentException("model " + target.id() + " has speculation " + asked + " but no"
                    + " draft_model; name one in its [[model]] in hearth.toml (a smaller GGUF with the same"
                    + " vocabulary), or use auto or prompt-lookup");
        }
        return Optional.of(new Gguf(target.id(), target.location(), draft == null ? null : Path.of(draft),
                speculation));
    }

    /** {@code speculation} takes {@link SpeculationSetting#CHOICES}; {@code draft_model} a file or a cached name. */
    @Override
    public Optional<List<String>> optionChoices(String key) {
        return switch (key) {
            case BackendTarget.SPECULATION -> Optional.of(List.of(SpeculationSetting.CHOICES));
            case BackendTarget.DRAFT_MODEL -> Optional.of(List.of("a GGUF file's path or a cached model's name"));
            default -> Optional.empty();
        };
    }

    @Override
    public boolean acceptsOption(String key, String value) {
        return switch (key) {
            case BackendTarget.SPECULATION -> {
                try {
                    SpeculationSetting.parse(value);
                    yield true;
                } catch (IllegalArgumentException e) {
                    yield false;
                }
            }
            case BackendTarget.DRAFT_MODEL -> !value.isBlank();
            default -> false;
        };
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

    /** A GGUF file (and its draft model's, if any) before it is loaded; each header is read once. */
    private static final class Gguf implements LocalModel {
        private final String id;
        private final Path file;
        private final Path draft; // null: none
        private final Speculation speculation;
        private GgufFile header, draftHeader;

        Gguf(String id, Path file, Path draft, Speculation speculation) {
            this.id = id;
            this.file = file;
            this.draft = draft;
            this.speculation = speculation;
        }

        private synchronized GgufFile header() {
            if (header == null) {
                header = GgufFile.read(file);
            }
            return header;
        }

        private synchronized GgufFile draftHeader() {
            if (draftHeader == null) {
                if (!Files.isRegularFile(draft)) {
                    throw new IllegalArgumentException("the draft model of " + id + ", " + draft + ", is not a file;"
                            + " pull it (bin/hearth models pull NAME) or fix draft_model in its [[model]] in"
                            + " hearth.toml");
                }
                draftHeader = GgufFile.read(draft);
            }
            return draftHeader;
        }

        /**
         * The draft model's share of the memory: its weights and a context as large as the engine's, in F16, for as
         * many sequences; on the GPU only where the whole target is.
         */
        private EstimateParams draftParams(EstimateParams p) {
            int layers = (int) draftHeader().integer(draftHeader().architecture() + ".block_count").orElse(0);
            return new EstimateParams(p.contextSize(), p.parallel(), dev.hearth.api.spi.KvCacheType.F16, 512,
                    p.gpuLayers() > layers() ? layers + 1 : 0, p.cpuRepack());
        }

        @Override
        public int layers() {
            GgufFile f = header();
            return (int) f.integer(f.architecture() + ".block_count").orElse(0);
        }

        /** An embedding model by its metadata ({@link LlamaEmbedder#embeds}). */
        @Override
        public boolean embeds() {
            return LlamaEmbedder.embeds(header());
        }

        @Override
        public MemoryEstimate estimate(EstimateParams params) {
            if (embeds()) {
                return LlamaEmbedder.estimate(header(), params);
            }
            MemoryEstimate own = GgufMemory.estimate(header(), params);
            return draft == null ? own : own.plus(GgufMemory.estimate(draftHeader(), draftParams(params)));
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

        /** An embedding model is loaded with an embedding context instead of an engine ({@link LlamaEmbedder}). */
        @Override
        public LoadedModel load(EstimateParams p, int threads) {
            if (embeds()) {
                return LlamaEmbedder.load(id, file, p, threads);
            }
            LlamaModel model = LlamaModel.load(file, ModelParams.defaults().withGpuLayers(p.gpuLayers()));
            LlamaModel drafting = null;
            try {
                EngineParams engineParams = EngineParams.defaults().withParallel(p.parallel())
                        .withContextSize(Math.max(256, p.contextSize())).withBatchSize(Math.max(p.microBatch(), 64))
                        .withKvCacheType(p.kvCacheType()).withThreads(threads);
                LlamaEngine engine;
                if (draft == null) {
                    engine = LlamaEngine.start(model, engineParams);
                } else { // a draft whose vocabulary is not the model's is refused here, naming both
                    drafting = LlamaModel.load(draft, ModelParams.defaults().withGpuLayers(draftParams(p)
                            .gpuLayers()));
                    engine = LlamaEngine.start(model, engineParams, drafting);
                }
                return new Served(id, model, engine, drafting, speculation);
            } catch (RuntimeException | Error e) {
                if (drafting != null) {
                    drafting.close();
                }
                model.close();
                throw e;
            }
        }
    }

    /**
     * A loaded model and the engine that serves it, with its draft model (null: none) and the speculation its
     * requests get unless they say.
     */
    public record Served(String id, LlamaModel model, LlamaEngine engine, LlamaModel draft, Speculation speculation)
            implements LoadedModel {
        @Override
        public ChatBackend chat(LocalTuning tuning) {
            return new LlamaChatBackend(id, engine, tuned(tuning), speculation);
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
                    .withStopSequences(r.stop()).withSampling(sampling).withIgnoreEog(r.ignoreEos())
                    .withSpeculation(speculation);
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
            if (draft != null) {
                draft.close();
            }
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
