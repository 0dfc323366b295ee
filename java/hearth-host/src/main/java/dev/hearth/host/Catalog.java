package dev.hearth.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The models users can pull by name ({@code models/catalog.toml}). */
public record Catalog(@JsonProperty("default") String defaultModel, List<Entry> model) {
    /**
     * One model.
     *
     * @param name       what users pull it by
     * @param url        where the GGUF file is
     * @param sha256     its hash (hex); empty where it is not recorded yet: the pull then prints the hash it computed
     * @param size       its size in bytes (0 if unknown)
     * @param license    its licence
     * @param quant      its quantization
     * @param context    its trained context length
     * @param strengths  task classes it is good at (chat, code, reasoning, embedding, ...)
     */
    public record Entry(String name, String url, String sha256, long size, String license, String quant, int context,
            List<String> strengths) {
        public URI uri() {
            return URI.create(url);
        }
    }

    public Catalog {
        model = model == null ? List.of() : List.copyOf(model);
    }

    public static Catalog load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Catalog c = TomlMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, Catalog.class);
            for (Entry e : c.model()) {
                if (e.name() == null || e.url() == null) {
                    throw new IOException("a model in " + file + " has no name or url: " + e);
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the model catalog " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<Entry> find(String name) {
        return model.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
