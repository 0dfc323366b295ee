package dev.hearth.cli;

import dev.hearth.api.SamplingLimits;
import dev.hearth.api.spi.CompletionRequest;
import dev.hearth.runtime.LocalOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by the commands that send a prompt to a model. */
final class ModelOptions implements TakesEnvironment {
    static final String DEMO_MODEL = "hearth-demo-tiny";
    /** The one default for the most tokens an answer may take, local or remote. */
    static final int DEFAULT_MAX_TOKENS = 1024;

    /** Where HEARTH_MODEL comes from (see {@link TakesEnvironment}). */
    private Map<String, String> env = Map.of();

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Option(names = {"-m", "--model"}, paramLabel = "SPEC",
            description = {"A GGUF file; the name of a model under $MODEL_CACHE_DIR (hearth models list); a model"
                    + " hearth.toml declares; PROVIDER:MODEL of a remote vendor (anthropic:, deepseek:, openai:, or a"
                    + " server hearth.toml declares), which sends the conversation there, with credentials redacted"
                    + " and within the budget; onnx:DIR for an ONNX decoder model exported by Optimum; agent:NAME from"
                    + " hearth.toml; or auto, which lets the router choose.",
                    "Default: $HEARTH_MODEL, else auto for chat when LLM_STRATEGY is set, else the demo model the"
                            + " set-up installed."})
    String model;

    @Option(names = "--ctx-size", description = "context of a local model named by its file or cache name, in tokens;"
            + " 0 = " + LocalOptions.DEFAULT_CONTEXT + " (default: ${DEFAULT-VALUE})")
    int contextSize = 0;

    @Option(names = {"-t", "--threads"}, description = "CPU threads for local models, at most the machine's cores"
            + " (default: the cores shared among the Hearth processes running models here)")
    Integer threads;

    @Option(names = {"-n", "--max-tokens"}, description = "most tokens to generate, local or remote"
            + " (default: ${DEFAULT-VALUE})")
    int maxTokens = DEFAULT_MAX_TOKENS;

    @Option(names = "--temperature", description = "0 = greedy (default: 0.8 locally, the vendor's remote)")
    Float temperature;

    @Option(names = "--top-k", description = "local models (default: ${DEFAULT-VALUE})")
    int topK = 40;

    @Option(names = "--top-p", description = "default: 0.95 locally, the vendor's remote")
    Float topP;

    @Option(names = "--seed", description = "sampling seed of local models (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--stop", description = "stop sequence (repeatable)")
    List<String> stops = List.of();

    @Option(names = "--ignore-eos", description = "keep generating past end-of-generation tokens, up to --max-tokens,"
            + " with a local GGUF model (as llama.cpp's --ignore-eos: for measuring, and for synthetic models)")
    boolean ignoreEos;

    /**
     * Checks every option before anything is loaded or sent, each message naming its option; the ranges are the ones
     * every backend holds to ({@link SamplingLimits}).
     */
    void check() {
        SamplingLimits.maxTokens(maxTokens, "--max-tokens");
        if (temperature != null) {
            SamplingLimits.temperature(temperature, "--temperature");
        }
        if (topP != null) {
            SamplingLimits.topP(topP, "--top-p");
        }
        SamplingLimits.topK(topK, "--top-k");
        LocalOptions.checkContext(contextSize, "--ctx-size");
        if (threads != null) {
            LocalOptions.checkThreads(threads, "--threads");
        }
        if (seed < 0 || seed > 0xFFFFFFFEL) {
            throw new IllegalArgumentException("--seed must be from 0 to 4294967294, not " + seed);
        }
        if (stops.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--stop must not be empty");
        }
    }

    /** The model spec the user gave, or the default one (HEARTH_MODEL, else the demo model). */
    String spec() {
        return model != null ? model : env.getOrDefault("HEARTH_MODEL", DEMO_MODEL);
    }

    /** The environment the runtime is configured from, with this command's settings in it. */
    Map<String, String> settings(Map<String, String> base) {
        Map<String, String> merged = new HashMap<>(base);
        if (threads != null) {
            merged.put("HEARTH_THREADS", threads.toString());
        }
        return merged;
    }

    /** How a local model named by its file or cache name runs; {@code template} is a chat template's text or null. */
    LocalOptions local(String template) {
        return new LocalOptions(contextSize, template, topK, seed, ignoreEos);
    }

    /** A raw completion ({@code hearth generate}), held to a JSON schema or a GBNF grammar when one is given. */
    CompletionRequest completion(String schema, String gbnf) {
        return new CompletionRequest(maxTokens, temperature == null ? 0.8 : temperature, topK,
                topP == null ? 0.95 : topP, seed, stops, ignoreEos, schema, gbnf);
    }
}
