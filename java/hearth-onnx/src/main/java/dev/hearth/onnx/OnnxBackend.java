package dev.hearth.onnx;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.EmbeddingBackend;
import dev.hearth.api.spi.BackendProvider;
import dev.hearth.api.spi.BackendTarget;
import dev.hearth.api.spi.EstimateParams;
import dev.hearth.api.spi.LoadedModel;
import dev.hearth.api.spi.LocalModel;
import dev.hearth.api.spi.LocalTuning;
import dev.hearth.api.spi.MemoryEstimate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * ONNX decoder models (Optimum's export: a directory with model.onnx and tokenizer.json) as a {@link BackendProvider}.
 * They run on the CPU; their estimate is the size of their files and a quarter more for activations and the KV
 * tensors, since an ONNX graph does not state what it will allocate. They answer plain text: no tools, no schemas.
 */
public final class OnnxBackend implements BackendProvider {
    private static final String CHAT_FORMAT = "chat_format";

    @Override
    public String name() {
        return "ONNX Runtime";
    }

    @Override
    public boolean serves(BackendTarget target) {
        return target.local() && target.provider().equals("onnx") && Files.isDirectory(target.location());
    }

    @Override
    public Optional<LocalModel> local(BackendTarget target) {
        if (!serves(target)) {
            return Optional.empty();
        }
        Optional<ChatFormat> format = Optional.ofNullable(target.settings().get(CHAT_FORMAT))
                .map(name -> ChatFormat.valueOf(name.strip().toUpperCase(Locale.ROOT)));
        return Optional.of(new Directory(target.id(), target.location(), format));
    }

    @Override
    public Optional<List<String>> optionChoices(String key) {
        return key.equals(CHAT_FORMAT) ? Optional.of(Stream.of(ChatFormat.values())
                .map(f -> f.name().toLowerCase(Locale.ROOT)).toList()) : Optional.empty();
    }

    @Override
    public Optional<EmbeddingBackend> embedder() {
        return Optional.of(Shared.MINI_LM);
    }

    @Override
    public Optional<String> embedderName() {
        return Optional.of(Embedder.MINILM_NAME);
    }

    /** A sentence-embedding export (model.onnx and tokenizer.json), mean-pooled, up to 512 tokens a text. */
    @Override
    public Optional<EmbeddingBackend> embedder(Path dir) {
        if (!Files.isRegularFile(dir.resolve("model.onnx")) || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            return Optional.empty();
        }
        return Optional.of(Embedder.fromDirectory(dir, 512, Embedder.Pooling.MEAN, 16,
                Runtime.getRuntime().availableProcessors(), Embedder.Batching.PADDED));
    }

    /** The bundled MiniLM, loaded once per process on first use. */
    private static final class Shared {
        static final Embedder MINI_LM = Embedder.miniLm();
    }

    private record Directory(String id, Path dir, Optional<ChatFormat> format) implements LocalModel {
        @Override
        public int layers() {
            return 0;
        }

        @Override
        public MemoryEstimate estimate(EstimateParams params) {
            long files = filesSize(dir);
            return MemoryEstimate.cpuOnly(files, 0, files / 4);
        }

        @Override
        public LoadedModel load(EstimateParams params, int threads) {
            OnnxChatBackend backend = OnnxChatBackend.fromDirectory(id, dir, format, threads);
            return new LoadedModel() {
                @Override
                public ChatBackend chat(LocalTuning tuning) {
                    return backend;
                }

                @Override
                public void close() {
                    backend.close();
                }
            };
        }
    }

    private static long filesSize(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the ONNX model in " + dir, e);
        }
    }
}
