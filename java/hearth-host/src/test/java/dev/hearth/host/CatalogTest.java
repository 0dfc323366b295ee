package dev.hearth.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models/catalog.toml} as shipped, and what {@link Catalog} refuses. */
class CatalogTest {
    @TempDir
    Path dir;

    static Path shipped() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("models/catalog.toml")) && Files.exists(p.resolve("natives.lock"))) {
                return p.resolve("models/catalog.toml");
            }
        }
        throw new IllegalStateException("no models/catalog.toml above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theShippedCatalogNamesItsDefaultAndEveryEntryCanBePulled() throws IOException {
        Catalog c = Catalog.load(shipped());
        assertThat(c.model()).isNotEmpty();
        assertThat(c.find(c.defaultModel())).as("the default, %s, is an entry", c.defaultModel()).isPresent();
        ModelStore store = new ModelStore(dir);
        Set<String> names = new HashSet<>();
        for (Catalog.Entry e : c.model()) {
            assertThat(names.add(e.name())).as("%s is named once", e.name()).isTrue();
            assertThat(store.path(e.name())).as("a file name in the cache").hasFileName(e.name() + ".gguf");
            URI url = e.uri();
            assertThat(url.getScheme()).as(e.name()).isEqualTo("https");
            assertThat(url.getPath()).as(e.name()).endsWith(".gguf");
            assertThat(e.sha256()).as("%s: empty (not recorded) or 64 hex digits", e.name()).matches("|[0-9a-f]{64}");
            assertThat(e.size()).as(e.name()).isNotNegative();
            assertThat(e.license()).as(e.name()).isNotBlank();
            assertThat(e.quant()).as(e.name()).isNotBlank();
            assertThat(e.context()).as(e.name()).isPositive();
            assertThat(e.strengths()).as(e.name()).isNotEmpty();
        }
    }

    @Test
    void findsAnEntryByItsExactName() throws IOException {
        Catalog c = Catalog.load(shipped());
        assertThat(c.find("qwen2.5-0.5b-instruct")).hasValueSatisfying(e -> assertThat(e.quant()).isEqualTo("Q8_0"));
        assertThat(c.find("qwen2.5")).isEmpty();
    }

    @Test
    void anEntryWithoutAUrlOrATomlMistakeIsRefusedWithTheFile() throws IOException {
        Path noUrl = Files.writeString(dir.resolve("no-url.toml"), "default = \"a\"\n[[model]]\nname = \"a\"\n");
        assertThatThrownBy(() -> Catalog.load(noUrl)).isInstanceOf(IOException.class)
                .hasMessageContaining(noUrl.toString()).hasMessageContaining("has no name or url");
        Path broken = Files.writeString(dir.resolve("broken.toml"), "[[model]\nname = \"a\"\n");
        assertThatThrownBy(() -> Catalog.load(broken)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read the model catalog " + broken);
    }
}
