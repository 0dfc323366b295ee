package dev.hearth.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON schemas written to test constrained output: numeric ranges of every shape (negative, exclusive, fractional,
 * large, multipleOf), string lengths, patterns and formats, enums of mixed types, nested and optional properties,
 * maps, arrays with prefixes, {@code $ref}s (recursive ones too) and combinators. Every schema is bounded (strings,
 * arrays and maps have maximum sizes) so that a random-weight model, which has no reason to stop, still finishes.
 */
public final class SchemaCorpus {
    /** One schema and a name for test reports. */
    public record Entry(String name, String schema) {
        @Override
        public String toString() {
            return name;
        }
    }

    private SchemaCorpus() {
    }

    public static List<Entry> all() {
        ObjectMapper json = new ObjectMapper();
        List<Entry> out = new ArrayList<>();
        try (var in = SchemaCorpus.class.getResourceAsStream("schema-corpus.jsonl");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    JsonNode n = json.readTree(line);
                    out.add(new Entry(n.get("name").asText(), n.get("schema").toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }
}
