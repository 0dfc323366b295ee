package dev.hearth.llama.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.InvalidModelException;
import dev.hearth.testkit.GgufWriter;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.WeightType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @TempDir
    Path dir;

    @Test
    void readsBackEverythingTheWriterWrote() {
        Path file = dir.resolve("tiny.gguf");
        GgufWriter.Positions positions = SyntheticModel.tiny().withWeightType(WeightType.Q8_0).write(file);
        GgufFile gguf = GgufFile.read(file);
        assertThat(gguf.version()).isEqualTo(3);
        assertThat(gguf.architecture()).isEqualTo("llama");
        assertThat(gguf.integer("llama.block_count")).hasValue(2);
        assertThat(gguf.string("general.name")).hasValue("hearth-demo-tiny");
        assertThat(gguf.metadata().get("tokenizer.ggml.add_bos_token")).isEqualTo(true);
        assertThat(gguf.metadata().get("llama.rope.freq_base")).isEqualTo(10000.0);
        assertThat(gguf.array("tokenizer.ggml.tokens").orElseThrow().strings()).hasSize(1024).startsWith("<unk>", "<s>");
        assertThat(gguf.array("tokenizer.ggml.token_type").orElseThrow().longAt(3)).isEqualTo(6);
        assertThat(gguf.dataOffset()).isEqualTo(positions.dataOffset());
        assertThat(gguf.tensors()).hasSize(2 + 1 + 2 * 9);
        TensorInfo q = gguf.tensor("blk.0.attn_q.weight").orElseThrow();
        assertThat(q.dims()).containsExactly(64, 64);
        assertThat(q.type()).isEqualTo(GgmlType.Q8_0);
        assertThat(q.byteSize()).isEqualTo(64 * 64 / 32 * 34);
        assertThat(gguf.tensor("output_norm.weight").orElseThrow().type()).isEqualTo(GgmlType.F32);
        assertThat(gguf.dataOffset() + gguf.tensors().stream()
                .mapToLong(t -> t.offset() + t.byteSize()).max().orElseThrow()).isLessThanOrEqualTo(gguf.fileSize());
    }

    @Test
    void readsEveryMetadataValueType() {
        Path file = dir.resolve("types.gguf");
        new GgufWriter().putString("general.architecture", "test")
                .putInteger("u8", 200, 1, false).putInteger("i8", -100, 1, true)
                .putInteger("u16", 60000, 2, false).putInteger("i16", -30000, 2, true)
                .putInteger("u32", 4_000_000_000L, 4, false).putInteger("i32", -2_000_000_000L, 4, true)
                .putInteger("u64", 1L << 40, 8, false).putInteger("i64", -(1L << 40), 8, true)
                .putFloat32("f32", 1.5f).putFloat64("f64", -2.25).putBool("b", true).putString("s", "héllo ✓")
                .putStrings("as", List.of("a", "", "ü")).putFloats("af", new float[] {0.5f, -1f})
                .putInts("ai", new int[] {-1, 7})
                .write(file);
        GgufFile gguf = GgufFile.read(file);
        assertThat(gguf.integer("u8")).hasValue(200);
        assertThat(gguf.integer("i8")).hasValue(-100);
        assertThat(gguf.integer("u16")).hasValue(60000);
        assertThat(gguf.integer("i16")).hasValue(-30000);
        assertThat(gguf.integer("u32")).hasValue(4_000_000_000L);
        assertThat(gguf.integer("i32")).hasValue(-2_000_000_000L);
        assertThat(gguf.integer("u64")).hasValue(1L << 40);
        assertThat(gguf.integer("i64")).hasValue(-(1L << 40));
        assertThat(gguf.metadata()).containsEntry("f32", 1.5).containsEntry("f64", -2.25).containsEntry("b", true);
        assertThat(gguf.string("s")).hasValue("héllo ✓");
        assertThat(gguf.array("as").orElseThrow().strings()).containsExactly("a", "", "ü");
        assertThat(gguf.array("af").orElseThrow().doubles()).containsExactly(0.5, -1.0);
        assertThat(gguf.array("ai").orElseThrow().longs()).containsExactly(-1, 7);
        assertThat(gguf.array("ai").orElseThrow().elementType()).isEqualTo(GgufValueType.INT32);
        assertThat(gguf.tensors()).isEmpty();
    }

    @Test
    void aFileThatIsNotGgufIsRejectedAtOffsetZero() throws IOException {
        Path file = dir.resolve("text.gguf");
        Files.writeString(file, "this is not a model, just some text that is long enough");
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("magic number").hasMessageContaining("at byte 0")
                .satisfies(e -> assertThat(((InvalidModelException) e).offset()).isZero());
    }

    @Test
    void missingFilesAndDirectoriesGetClearErrors() {
        assertThatThrownBy(() -> GgufFile.read(dir.resolve("nope.gguf"))).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> GgufFile.read(dir)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("directory");
    }

    @Test
    void aTruncatedFileNamesWhereItEnds() throws IOException {
        Path file = dir.resolve("cut.gguf");
        SyntheticModel.tiny().write(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 1000);
        }
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("extends past the end of the file");
    }

    @Test
    void aHugeStringLengthIsBoundedByTheFileSize() throws IOException {
        Path file = dir.resolve("long-key.gguf");
        GgufWriter.Positions p = SyntheticModel.tiny().write(file);
        long at = p.keyLengths().get(1);
        putLong(file, at, Long.MAX_VALUE / 2);
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("more than the").hasMessageContaining("at byte " + at);
    }

    @Test
    void aHugeTensorCountIsBoundedByTheFileSize() throws IOException {
        Path file = dir.resolve("count.gguf");
        GgufWriter.Positions p = SyntheticModel.tiny().write(file);
        putLong(file, p.tensorCount(), 1L << 40);
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("tensor count");
    }

    @Test
    void anUnknownTensorTypeIsNamed() throws IOException {
        Path file = dir.resolve("type.gguf");
        GgufWriter.Positions p = SyntheticModel.tiny().write(file);
        GgufWriter.TensorFields t = p.tensors().get(3);
        putInt(file, t.type(), 31); // Q4_0_4_4: removed from ggml
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("unknown type 31").hasMessageContaining(t.name());
    }

    @Test
    void inconsistentHyperParametersAreRejectedBeforeLlamaCppCouldAssert() {
        Path file = dir.resolve("heads.gguf");
        new GgufWriter().putString("general.architecture", "llama")
                .putUInt32("llama.embedding_length", 64).putUInt32("llama.attention.head_count", 3)
                .write(file);
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not a multiple of the head count 3");
    }

    @Test
    void aBadByteTokenIsRejected() {
        Path file = dir.resolve("bytes.gguf");
        new GgufWriter().putString("general.architecture", "llama")
                .putStrings("tokenizer.ggml.tokens", List.of("<unk>", "ab"))
                .putInts("tokenizer.ggml.token_type", new int[] {2, 6})
                .write(file);
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("byte token");
    }

    @Test
    void aVocabularyWithADuplicateTokenIsRejectedBeforeLlamaCppAssertsOnIt() {
        Path file = dir.resolve("dup.gguf");
        new GgufWriter().putString("general.architecture", "llama")
                .putStrings("tokenizer.ggml.tokens", List.of("<unk>", "a", "b", "a"))
                .write(file);
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("appears twice");
    }

    private static void putLong(Path file, long at, long value) throws IOException {
        write(file, at, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array());
    }

    private static void putInt(Path file, long at, int value) throws IOException {
        write(file, at, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value).array());
    }

    static void write(Path file, long at, byte[] bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            raf.write(bytes);
        }
    }

    @Test
    void aFileOfMetadataAloneIsReadOnlyForAVocabularyLoad() throws IOException {
        Path file = dir.resolve("vocab.gguf");
        new GgufWriter().putString("general.architecture", "test").write(file);
        // header 24 + key (8 + 20) + type 4 + value (8 + 4): what is left is the padding before the data section
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(68);
        }
        assertThatThrownBy(() -> GgufFile.read(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("the file ends before its tensor data section starts");
        GgufFile vocab = GgufFile.readVocabulary(file);
        assertThat(vocab.tensors()).isEmpty();
        assertThat(vocab.dataOffset()).isEqualTo(vocab.fileSize());
    }

    @Test
    void aVocabularyLoadStillRefusesAModelCutBeforeItsTensors() throws IOException {
        Path file = dir.resolve("cut.gguf");
        GgufWriter.Positions positions = SyntheticModel.tiny().write(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(positions.dataOffset() - 1);
        }
        assertThatThrownBy(() -> GgufFile.readVocabulary(file)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("the file ends before its tensor data section starts");
    }
}
