package dev.hearth.cli;

import dev.hearth.llama.ContextParams;
import dev.hearth.llama.GenerationParams;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.llama.SamplingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that load a model and generate. */
final class ModelOptions implements TakesEnvironment {
    static final String DEMO_MODEL = "hearth-demo-tiny";

    /** Where HEARTH_MODEL comes from (see {@link TakesEnvironment}). */
    private java.util.Map<String, String> env = java.util.Map.of();

    @Override
    public void environment(java.util.Map<String, String> env) {
        this.env = env;
    }

    @Option(names = {"-m", "--model"}, paramLabel = "PATH|NAME",
            description = "GGUF file, or the name of a model under $HEARTH_HOME/models (default: $HEARTH_MODEL,"
                    + " else the demo model the set-up installed); for chat also PROVIDER:MODEL of a remote vendor"
                    + " (anthropic:, deepseek:, openai:), which sends the conversation to that vendor, onnx:DIR for an"
                    + " ONNX decoder model exported by Optimum, or auto (the default when LLM_STRATEGY is set), which"
                    + " lets the router choose")
    String model;

    @Option(names = "--ctx-size", description = "context size in tokens; 0 = the model's trained context, capped"
            + " at 8192 (default: ${DEFAULT-VALUE})")
    int contextSize = 0;

    @Option(names = {"-t", "--threads"}, description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--gpu-layers", description = "layers to offload to a GPU; -1 = all (default: ${DEFAULT-VALUE})")
    int gpuLayers = -1;

    @Option(names = {"-n", "--max-tokens"}, description = "most tokens to generate (default: 256 locally, 4096 remote)")
    Integer maxTokens;

    @Option(names = "--temperature", description = "0 = greedy (default: 0.8 locally, the vendor's remote)")
    Float temperature;

    @Option(names = "--top-k", description = "default: ${DEFAULT-VALUE}")
    int topK = 40;

    @Option(names = "--top-p", description = "default: ${DEFAULT-VALUE}")
    float topP = 0.95f;

    @Option(names = "--seed", description = "sampling seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--stop", description = "stop sequence (repeatable)")
    List<String> stops = List.of();

    @Option(names = "--ignore-eos", description = "keep generating past end-of-generation tokens, up to --max-tokens,"
            + " with a local GGUF model (as llama.cpp's --ignore-eos: for measuring, and for synthetic models)")
    boolean ignoreEos;

    Path resolveModel() {
        String spec = model != null ? model : env.getOrDefault("HEARTH_MODEL", DEMO_MODEL);
        Path direct = Path.of(spec);
        if (Files.exists(direct)) {
            return direct;
        }
        Path named;
        try {
            named = dev.hearth.host.ModelStore.fromEnvironment(env).path(spec);
        } catch (IllegalArgumentException notAName) {
            throw new IllegalArgumentException("no model at " + direct.toAbsolutePath() + ", and \"" + spec
                    + "\" is not a model name either; pass --model with a GGUF file or a name from hearth models list");
        }
        if (Files.exists(named)) {
            return named;
        }
        throw new IllegalArgumentException("no model at " + direct.toAbsolutePath() + " and none named \"" + spec
                + "\" in " + named.getParent() + "; pass --model with a GGUF file, or run scripts/setup-local-llm.sh"
                + " to install the demo model");
    }

    LlamaModel load() {
        Path path = resolveModel();
        LlamaModel loaded = LlamaModel.load(path, ModelParams.defaults().withGpuLayers(gpuLayers));
        String description = loaded.gguf().string("general.description").orElse("");
        if (description.contains("random weights")) {
            System.err.println("note: " + path.getFileName() + " is a synthetic model with random weights; its output"
                    + " is meaningless. Pass --model with a real GGUF model for real answers.");
        }
        return loaded;
    }

    ContextParams context() {
        ContextParams params = ContextParams.defaults().withContextSize(contextSize);
        return threads == null ? params : params.withThreads(threads);
    }

    /** One slot sized like {@link #context()}: the CLI serves one request at a time. */
    dev.hearth.llama.engine.EngineParams engine(LlamaModel model) {
        int size = contextSize > 0 ? contextSize : Math.min(model.nCtxTrain(), ContextParams.DEFAULT_CONTEXT_CAP);
        dev.hearth.llama.engine.EngineParams params = dev.hearth.llama.engine.EngineParams.defaults().withParallel(1)
                .withContextSize(Math.max(256, size)).withQueueCapacity(1);
        return threads == null ? params : params.withThreads(threads);
    }

    GenerationParams generation() {
        SamplingParams sampling = SamplingParams.defaults().withTemperature(temperature == null ? 0.8f : temperature)
                .withTopK(topK).withTopP(topP).withSeed(seed);
        return GenerationParams.defaults().withMaxTokens(maxTokens == null ? 256 : maxTokens).withStopSequences(stops)
                .withSampling(sampling).withIgnoreEog(ignoreEos);
    }
}
