package dev.hearth.llama.gguf;

import dev.hearth.api.InvalidModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed and validated GGUF file: header, metadata, tensor infos and the data section's place. {@link #read}
 * checks the magic and version, bounds every count and length by the file size, checks that each tensor is of a
 * known type, lies inside the data section at an aligned offset without overlapping another, and (through
 * {@link ModelChecks}) that the hyper-parameters and vocabulary are ones llama.cpp can use safely.
 */
public final class GgufFile {
    static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    static final int MAX_DIMS = 4;
    static final int MAX_NAME = 63; // GGML_MAX_NAME - 1 (room for the NUL)
    static final long DEFAULT_ALIGNMENT = 32;

    private final Path path;
    private final int version;
    private final long fileSize;
    private final long alignment;
    private final long dataOffset;
    private final Map<String, Object> metadata;
    private final Map<String, Long> metadataOffsets;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> tensorsByName;

    private GgufFile(Path path, int version, long fileSize, long alignment, long dataOffset,
            Map<String, Object> metadata, Map<String, Long> metadataOffsets, List<TensorInfo> tensors) {
        this.path = path;
        this.version = version;
        this.fileSize = fileSize;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.metadataOffsets = metadataOffsets;
        this.tensors = List.copyOf(tensors);
        Map<String, TensorInfo> byName = new HashMap<>();
        tensors.forEach(t -> byName.put(t.name(), t));
        this.tensorsByName = byName;
    }

    /** Reads, parses and validates a GGUF model file; throws {@link InvalidModelException} naming the problem. */
    public static GgufFile read(Path path) {
        return read(path, false);
    }

    /**
     * Reads a file for a vocabulary-only load ({@code vocab_only}): as {@link #read}, but a file of metadata alone
     * (no tensors, nothing after the metadata, as llama.cpp's {@code ggml-vocab-*.gguf}) is accepted too.
     */
    public static GgufFile readVocabulary(Path path) {
        return read(path, true);
    }

    private static GgufFile read(Path path, boolean vocabOnly) {
        if (Files.isDirectory(path)) {
            throw new InvalidModelException(path, -1, "it is a directory, not a file");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            GgufFile file = parse(path, new GgufInput(path, channel), vocabOnly);
            ModelChecks.check(file);
            return file;
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(path, -1, "the file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static GgufFile parse(Path path, GgufInput in, boolean vocabOnly) {
        if (in.size() < 24) {
            throw in.invalid(0, "the file is " + in.size() + " bytes, too short for a GGUF header (24 bytes)");
        }
        int magic = (int) in.u32("the magic number");
        if (magic != MAGIC) {
            throw in.invalid(0, String.format("the magic number is 0x%08x, not \"GGUF\"", magic));
        }
        long version = in.u32("the version");
        if (version == 0x03000000L || version == 0x02000000L) {
            throw in.invalid(4, "the file is a big-endian GGUF, which this machine's llama.cpp cannot load");
        }
        if (version != 2 && version != 3) {
            throw in.invalid(4, "GGUF version " + version + " is not supported (only 2 and 3 are)");
        }
        long tensorCount = in.u64("the tensor count");
        long kvCount = in.u64("the metadata count");
        // every tensor info takes at least 8 (name length) + 4 (n_dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes
        bound(in, 8, tensorCount, 32, "the tensor count");
        bound(in, 16, kvCount, 13, "the metadata count");

        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, Long> offsets = new HashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyOffset = in.position();
            String key = in.string("metadata key #" + i);
            if (metadata.containsKey(key)) {
                throw in.invalid(keyOffset, "the metadata key \"" + key + "\" appears twice");
            }
            long typeOffset = in.position();
            long typeId = in.u32("the type of metadata \"" + key + "\"");
            GgufValueType type = GgufValueType.byId(typeId).orElseThrow(
                    () -> in.invalid(typeOffset, "metadata \"" + key + "\" has unknown value type " + typeId));
            offsets.put(key, typeOffset);
            metadata.put(key, readValue(in, type, key));
        }

        long alignment = DEFAULT_ALIGNMENT;
        Object declared = metadata.get("general.alignment");
        if (declared != null) {
            if (!(declared instanceof Long a) || a <= 0 || Long.bitCount(a) != 1 || a > (1 << 20)) {
                throw in.invalid(offsets.get("general.alignment"),
                        "general.alignment is " + declared + "; it must be a power of two up to 1 MiB");
            }
            alignment = a;
        }

        List<PendingTensor> pending = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            pending.add(readTensorInfo(in, i, names));
        }
        long dataOffset = align(in.position(), alignment);
        if (dataOffset > in.size() && vocabOnly && tensorCount == 0) {
            dataOffset = in.size(); // no tensors: a vocabulary file has no data section, not even its padding
        } else if (dataOffset > in.size()) {
            throw in.invalid(in.position(), "the file ends before its tensor data section starts");
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (PendingTensor t : pending) {
            tensors.add(t.validate(in, alignment, dataOffset));
        }
        checkNoOverlap(in, tensors, dataOffset);
        return new GgufFile(path, (int) version, in.size(), alignment, dataOffset, metadata, offsets, tensors);
    }

    private static void bound(GgufInput in, long at, long count, long minBytesEach, String what) {
        if (count < 0 || count > in.remaining() / minBytesEach) {
            throw in.invalid(at, what + " is " + Long.toUnsignedString(count) + ", more than a file of "
                    + in.size() + " bytes can hold");
        }
    }

    private static Object readValue(GgufInput in, GgufValueType type, String key) {
        String what = "the value of \"" + key + "\"";
        return switch (type) {
            case UINT8 -> (long) in.u8(what);
            case INT8 -> (long) (byte) in.u8(what);
            case UINT16 -> (long) in.u16(what);
            case INT16 -> (long) (short) in.u16(what);
            case UINT32 -> in.u32(what);
            case INT32 -> (long) in.i32(what);
            case UINT64, INT64 -> in.u64(what);
            case FLOAT32 -> (double) in.f32(what);
            case FLOAT64 -> in.f64(what);
            case BOOL -> readBool(in, what);
            case STRING -> in.string(what);
            case ARRAY -> readArray(in, key);
        };
    }

    private static boolean readBool(GgufInput in, String what) {
        long at = in.position();
        int b = in.u8(what);
        if (b > 1) {
            throw in.invalid(at, what + " is a bool stored as " + b + " (only 0 and 1 are valid)");
        }
        return b == 1;
    }

    private static GgufArray readArray(GgufInput in, String key) {
        long at = in.position();
        long typeId = in.u32("the element type of \"" + key + "\"");
        GgufValueType type = GgufValueType.byId(typeId).orElseThrow(
                () -> in.invalid(at, "array \"" + key + "\" has unknown element type " + typeId));
        if (type == GgufValueType.ARRAY) {
            throw in.invalid(at, "array \"" + key + "\" holds arrays, which GGUF readers do not support");
        }
        long countAt = in.position();
        long count = in.u64("the length of array \"" + key + "\"");
        long minEach = type == GgufValueType.STRING ? 8 : type.size();
        if (count < 0 || count > in.remaining() / minEach || count > Integer.MAX_VALUE - 8) {
            throw in.invalid(countAt, "array \"" + key + "\" claims " + Long.toUnsignedString(count)
                    + " elements, more than the " + in.remaining() + " bytes left in the file can hold");
        }
        int n = (int) count;
        String what = "an element of \"" + key + "\"";
        Object values = switch (type) {
            case STRING -> {
                List<String> strings = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    strings.add(in.string(what));
                }
                yield Collections.unmodifiableList(strings);
            }
            case FLOAT32, FLOAT64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = type == GgufValueType.FLOAT32 ? in.f32(what) : in.f64(what);
                }
                yield d;
            }
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = readBool(in, what);
                }
                yield b;
            }
            default -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = (Long) readValue(in, type, key);
                }
                yield l;
            }
        };
        return new GgufArray(type, values, n);
    }

    private record PendingTensor(String name, long[] dims, long typeId, long offset, long infoOffset) {
        TensorInfo validate(GgufInput in, long alignment, long dataOffset) {
            GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> in.invalid(infoOffset,
                    "tensor \"" + name + "\" has unknown type " + typeId + " (this llama.cpp knows ids up to 42)"));
            long elements = 1;
            try {
                for (long d : dims) {
                    elements = Math.multiplyExact(elements, d);
                }
            } catch (ArithmeticException e) {
                throw in.invalid(infoOffset, "tensor \"" + name + "\" has dimensions whose product overflows");
            }
            if (dims[0] % type.blockSize() != 0) {
                throw in.invalid(infoOffset, "tensor \"" + name + "\" has a first dimension of " + dims[0]
                        + ", not a multiple of the " + type + " block size " + type.blockSize());
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(elements / type.blockSize(), (long) type.blockBytes());
            } catch (ArithmeticException e) {
                throw in.invalid(infoOffset, "tensor \"" + name + "\" is too large to address");
            }
            if (offset < 0 || offset % alignment != 0) {
                throw in.invalid(infoOffset, "tensor \"" + name + "\" starts at data offset "
                        + Long.toUnsignedString(offset) + ", not a multiple of the alignment " + alignment);
            }
            long available = in.size() - dataOffset;
            if (offset > available || bytes > available - offset) {
                throw in.invalid(infoOffset, "tensor \"" + name + "\" (" + bytes + " bytes at data offset "
                        + offset + ") extends past the end of the file; the file is truncated or corrupt");
            }
            return new TensorInfo(name, dims, type, offset, bytes);
        }
    }

    private static PendingTensor readTensorInfo(GgufInput in, long index, java.util.Set<String> names) {
        long at = in.position();
        String name = in.string("the name of tensor #" + index);
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME) {
            throw in.invalid(at, "tensor #" + index + " has a name of " + name.length()
                    + " characters; names must have 1 to " + MAX_NAME + " bytes");
        }
        if (!names.add(name)) {
            throw in.invalid(at, "tensor \"" + name + "\" appears twice");
        }
        long dimsAt = in.position();
        long nDims = in.u32("the dimension count of \"" + name + "\"");
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw in.invalid(dimsAt, "tensor \"" + name + "\" has " + nDims + " dimensions (1 to 4 are valid)");
        }
        long[] dims = new long[(int) nDims];
        for (int d = 0; d < nDims; d++) {
            long dimAt = in.position();
            dims[d] = in.u64("a dimension of \"" + name + "\"");
            if (dims[d] < 1 || dims[d] > (1L << 40)) {
                throw in.invalid(dimAt, "tensor \"" + name + "\" has dimension " + d + " of "
                        + Long.toUnsignedString(dims[d]));
            }
        }
        long typeId = in.u32("the type of \"" + name + "\"");
        long offset = in.u64("the offset of \"" + name + "\"");
        return new PendingTensor(name, dims, typeId, offset, at);
    }

    private static void checkNoOverlap(GgufInput in, List<TensorInfo> tensors, long dataOffset) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::offset));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1), next = sorted.get(i);
            if (prev.offset() + prev.byteSize() > next.offset()) {
                throw in.invalid(dataOffset + next.offset(), "tensors \"" + prev.name() + "\" and \""
                        + next.name() + "\" overlap in the data section");
            }
        }
    }

    static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public long fileSize() {
        return fileSize;
    }

    public long alignment() {
        return alignment;
    }

    /** Where the tensor data section starts, in bytes from the start of the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** All metadata, in file order; see {@link GgufArray} for how arrays are held. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The file offset of a metadata value (its type field), for error messages; -1 when absent. */
    public long offsetOf(String key) {
        return metadataOffsets.getOrDefault(key, -1L);
    }

    public List<TensorInfo> tensors() {
        return tensors;
    }

    public Optional<TensorInfo> tensor(String name) {
        return Optional.ofNullable(tensorsByName.get(name));
    }

    public Optional<String> string(String key) {
        return metadata.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public OptionalLong integer(String key) {
        return metadata.get(key) instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    public Optional<GgufArray> array(String key) {
        return metadata.get(key) instanceof GgufArray a ? Optional.of(a) : Optional.empty();
    }

    /** {@code general.architecture}, e.g. "llama"; empty when the file does not say. */
    public String architecture() {
        return string("general.architecture").orElse("");
    }

    /** Sum of the tensor sizes: the bytes of weights a backend reads. */
    public long tensorBytes() {
        return tensors.stream().mapToLong(TensorInfo::byteSize).sum();
    }
}
