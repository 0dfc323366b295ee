package dev.hearth.runtime;

import dev.hearth.host.Estimator;
import dev.hearth.host.MemoryEstimate;
import dev.hearth.host.ModelLoader;
import dev.hearth.host.ModelSpec;
import dev.hearth.host.Placement;
import dev.hearth.onnx.ChatFormat;
import dev.hearth.onnx.OnnxChatBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The model host's loader and estimator for both local engines: a GGUF file goes to llama.cpp, a directory is an ONNX
 * decoder model (Optimum's export). ONNX models run on the CPU; their estimate is the size of their files and a
 * quarter more for activations and the KV tensors, since an ONNX graph does not state what it will allocate.
 */
final class LocalLoaders {
    /** A loaded ONNX chat model; closing it frees its session. */
    record OnnxServed(OnnxChatBackend backend) implements ModelLoader.Loaded {
        @Override
        public void close() {
            backend.close();
        }
    }

    private LocalLoaders() {
    }

    static boolean isOnnx(ModelSpec spec) {
        return Files.isDirectory(spec.path());
    }

    static ModelLoader loader(ModelLoader gguf, Function<String, Optional<ChatFormat>> formats, int threads) {
        return (spec, placement) -> isOnnx(spec)
                ? new OnnxServed(OnnxChatBackend.fromDirectory(spec.id(), spec.path(), formats.apply(spec.id()), threads))
                : gguf.load(spec, placement);
    }

    static Estimator estimator(Estimator gguf) {
        return new Estimator() {
            @Override
            public int layers(ModelSpec spec) {
                return isOnnx(spec) ? 0 : gguf.layers(spec);
            }

            @Override
            public MemoryEstimate estimate(ModelSpec spec, int gpuLayers) {
                if (!isOnnx(spec)) {
                    return gguf.estimate(spec, gpuLayers);
                }
                long files = filesSize(spec.path());
                return new MemoryEstimate(0, files, 0, 0, 0, files / 4, 0);
            }
        };
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
