package dev.hearth.spring.ai;

import dev.hearth.llama.ffi.NativeLibraries;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A Boot application with nothing but what the starter's auto-configuration gives, on the synthetic model. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {
    /** The model cache name of the model that calls tools. */
    static final String TOOLS = "tiny-tools";

    /**
     * Starts it in {@code dir}: the synthetic model {@code tiny} in a model cache there, the ledger and run directory
     * there too (nothing of the caller's environment but the natives), local models only, the response cache off (so
     * that two calls of the same request both run the model), plus {@code more} properties.
     */
    static ConfigurableApplicationContext start(Path dir, Class<?>[] sources, String... more) throws Exception {
        Path models = dir.resolve("models");
        Files.createDirectories(models);
        if (!Files.exists(models.resolve("tiny.gguf"))) {
            SyntheticModel.tiny().write(models.resolve("tiny.gguf"));
            // a model that speaks Qwen 2.5's tool-call format, whose markers are control tokens of its vocabulary,
            // so that a forced tool choice comes with a tool-call grammar
            String qwen = Files.readString(NativeLibraries.hearthHome().resolve("llama.cpp")
                    .resolve(NativeLibraries.LLAMA_CPP_RELEASE).resolve("src/models/templates")
                    .resolve("Qwen-Qwen2.5-7B-Instruct.jinja"));
            SyntheticModel.tiny().withChatFormat(List.of("<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"),
                    qwen).write(models.resolve(TOOLS + ".gguf"));
        }
        List<String> properties = new ArrayList<>(List.of("hearth.inherit-environment=false",
                "hearth.strategy=local_only", "hearth.local-model=tiny", "hearth.chat.max-tokens=8",
                "hearth.env[HEARTH_CACHE]=off"));
        for (Map.Entry<String, String> e : CleanEnvironment.in(dir).entrySet()) {
            properties.add("hearth.env[" + e.getKey() + "]=" + e.getValue());
        }
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).logStartupInfo(false)
                .properties(properties.toArray(String[]::new)).run();
    }
}
