package dev.hearth.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.api.InvalidModelException;
import dev.hearth.llama.ffi.Layouts;
import dev.hearth.llama.ffi.LlamaC;
import dev.hearth.llama.ffi.LogBridge;
import dev.hearth.llama.ffi.NativeCalls;
import dev.hearth.llama.ffi.NativeLibraries;
import dev.hearth.llama.gguf.GgufFile;
import dev.hearth.llama.internal.ModelAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A GGUF model loaded in process. Thread-safe: tokenization, metadata and chat templates may be used from any
 * thread, and contexts created from it run independently. {@link #close()} closes the model's remaining
 * contexts and frees the weights; calls after that throw IllegalStateException instead of touching freed memory.
 */
public final class LlamaModel implements AutoCloseable {
    private final Path path;
    private final GgufFile gguf;
    private final Arena arena;
    private final MemorySegment model;
    private final MemorySegment vocab;
    private final int nVocab;
    private final boolean vocabOnly;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<LlamaContext> contexts = ConcurrentHashMap.newKeySet();
    private final Map<String, ChatTemplate> templates = new ConcurrentHashMap<>();
    private final Set<EmbeddingContext> embeddingContexts = ConcurrentHashMap.newKeySet();
    private final Set<AutoCloseable> dependents = ConcurrentHashMap.newKeySet(); // engines
    private volatile boolean closed;

    static {
        ModelAccess.open(new ModelAccess.Door() {
            @Override
            public MemorySegment handle(LlamaModel model) {
                return model.handle();
            }

            @Override
            public MemorySegment vocab(LlamaModel model) {
                return model.vocab();
            }

            @Override
            public void attach(LlamaModel model, AutoCloseable dependent) {
                model.attach(dependent);
            }

            @Override
            public void detach(LlamaModel model, AutoCloseable dependent) {
                model.dependents.remove(dependent);
            }
        });
    }

    private LlamaModel(Path path, GgufFile gguf, Arena arena, MemorySegment model, boolean vocabOnly)
            throws Throwable {
        this.path = path;
        this.vocabOnly = vocabOnly;
        this.gguf = gguf;
        this.arena = arena;
        this.model = model;
        this.vocab = (MemorySegment) LlamaC.llama_model_get_vocab.invokeExact(model);
        this.nVocab = (int) LlamaC.llama_vocab_n_tokens.invokeExact(vocab);
    }

    /**
     * Loads a model. The file is read and validated in Java first ({@link GgufFile#read}); a bad file gives an
     * {@link InvalidModelException} and never reaches llama.cpp. A file llama.cpp still refuses gives an
     * InvalidModelException carrying llama.cpp's reason; a cancelled load gives a {@link ModelLoadException}.
     */
    public static LlamaModel load(Path path, ModelParams params) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(params, "params");
        GgufFile gguf = params.vocabOnly() ? GgufFile.readVocabulary(path) : GgufFile.read(path);
        NativeLibraries.load();
        Arena arena = Arena.ofShared();
        try (Arena scratch = Arena.ofConfined()) {
            ProgressBridge progress = new ProgressBridge(params.progress());
            MemorySegment native_params = modelParams(scratch, params, progress.stub(scratch));
            LogBridge.clearLastError();
            MemorySegment raw = (MemorySegment) LlamaC.llama_model_load_from_file.invokeExact(
                    scratch.allocateFrom(path.toString()), native_params);
            if (raw.equals(MemorySegment.NULL)) {
                arena.close();
                progress.rethrowFailure();
                if (progress.cancelled()) {
                    throw new ModelLoadException("loading " + path + " was cancelled by the progress callback");
                }
                String reason = LogBridge.takeLastError();
                throw new InvalidModelException(path, -1, "llama.cpp " + NativeLibraries.LLAMA_CPP_RELEASE
                        + " refused it: " + (reason == null ? "no reason given" : reason),
                        "check that llama.cpp supports the model's architecture and that the file is complete");
            }
            MemorySegment handle = raw.reinterpret(arena, LlamaModel::free);
            return new LlamaModel(path, gguf, arena, handle, params.vocabOnly());
        } catch (Throwable t) {
            throw NativeCalls.closeAndRethrow(arena, t);
        }
    }

    private static MemorySegment modelParams(Arena scratch, ModelParams params, MemorySegment progressStub)
            throws Throwable {
        var p = Layouts.LLAMA_MODEL_PARAMS;
        MemorySegment s = (MemorySegment) LlamaC.llama_model_default_params.invokeExact((SegmentAllocator) scratch);
        s.set(JAVA_INT, Layouts.offset(p, "n_gpu_layers"), params.gpuLayers());
        if (params.loadMode() != LoadMode.AUTO) {
            s.set(JAVA_INT, Layouts.offset(p, "load_mode"), params.loadMode().value());
        }
        s.set(JAVA_BOOLEAN, Layouts.offset(p, "check_tensors"), params.checkTensors());
        s.set(JAVA_BOOLEAN, Layouts.offset(p, "vocab_only"), params.vocabOnly());
        s.set(JAVA_BOOLEAN, Layouts.offset(p, "use_extra_bufts"), params.extraBuffers());
        s.set(ADDRESS, Layouts.offset(p, "progress_callback"), progressStub);
        s.set(ADDRESS, Layouts.offset(p, "progress_callback_user_data"), MemorySegment.NULL);
        return s;
    }

    private static void free(MemorySegment model) {
        try {
            LlamaC.llama_model_free.invokeExact(model);
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        }
    }

    /** Creates a context for generation; close it before (or let it be closed with) the model. */
    public LlamaContext newContext(ContextParams params) {
        Objects.requireNonNull(params, "params");
        ensureWeights("a context");
        lock.readLock().lock();
        try {
            ensureOpen();
            LlamaContext context = new LlamaContext(this, params);
            contexts.add(context);
            return context;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void attach(AutoCloseable dependent) {
        ensureWeights("an engine");
        lock.readLock().lock();
        try {
            ensureOpen();
            dependents.add(dependent);
        } finally {
            lock.readLock().unlock();
        }
    }

    void forget(LlamaContext context) {
        contexts.remove(context);
    }

    void forget(EmbeddingContext context) {
        embeddingContexts.remove(context);
    }

    MemorySegment handle() {
        return model;
    }

    MemorySegment vocab() {
        return vocab;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the model " + path.getFileName() + " is closed");
        }
    }

    // a vocab-only model has no weights for a context to compute with: refuse in Java, before native code is asked
    private void ensureWeights(String what) {
        if (vocabOnly) {
            throw new IllegalStateException("the model " + path.getFileName() + " was loaded vocabulary-only, without"
                    + " weights; it cannot create " + what + " (load it without vocabOnly to generate or embed)");
        }
    }

    /** True when only the vocabulary was loaded ({@link ModelParams#vocabOnly}). */
    public boolean vocabOnly() {
        return vocabOnly;
    }

    private <T> T read(NativeRead<T> action) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return action.run();
        } catch (Throwable t) {
            throw NativeCalls.rethrow(t);
        } finally {
            lock.readLock().unlock();
        }
    }

    @FunctionalInterface
    private interface NativeRead<T> {
        T run() throws Throwable;
    }

    public Path path() {
        return path;
    }

    /** The validated GGUF metadata and tensor table of the file. */
    public GgufFile gguf() {
        return gguf;
    }

    public int nVocab() {
        return nVocab;
    }

    public int nCtxTrain() {
        return read(() -> (int) LlamaC.llama_model_n_ctx_train.invokeExact(model));
    }

    public int nEmbd() {
        return read(() -> (int) LlamaC.llama_model_n_embd.invokeExact(model));
    }

    public int nLayer() {
        return read(() -> (int) LlamaC.llama_model_n_layer.invokeExact(model));
    }

    public int nHead() {
        return read(() -> (int) LlamaC.llama_model_n_head.invokeExact(model));
    }

    public int nHeadKv() {
        return read(() -> (int) LlamaC.llama_model_n_head_kv.invokeExact(model));
    }

    /** Bytes of all the model's tensors. */
    public long size() {
        return read(() -> (long) LlamaC.llama_model_size.invokeExact(model));
    }

    public long nParams() {
        return read(() -> (long) LlamaC.llama_model_n_params.invokeExact(model));
    }

    /** llama.cpp's one-line description, e.g. "llama ?B Q8_0". */
    public String description() {
        return read(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(256);
                int n = (int) LlamaC.llama_model_desc.invokeExact(model, buf, 256L);
                return n < 0 ? "" : buf.getString(0);
            }
        });
    }

    /** All scalar metadata as llama.cpp renders it (arrays are summarised by llama.cpp). */
    public Map<String, String> metadata() {
        return read(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            int count = (int) LlamaC.llama_model_meta_count.invokeExact(model);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment key = a.allocate(512);
                MemorySegment value = a.allocate(4096);
                for (int i = 0; i < count; i++) {
                    int k = (int) LlamaC.llama_model_meta_key_by_index.invokeExact(model, i, key, 512L);
                    int v = (int) LlamaC.llama_model_meta_val_str_by_index.invokeExact(model, i, value, 4096L);
                    if (k >= 0 && v >= 0) {
                        out.put(key.getString(0), value.getString(0));
                    }
                }
            }
            return out;
        });
    }

    /** The model's own chat template source (tokenizer.chat_template), if it has one. */
    public Optional<String> chatTemplateSource() {
        return read(() -> Optional.ofNullable(LlamaC.string(
                (MemorySegment) LlamaC.llama_model_chat_template.invokeExact(model, MemorySegment.NULL))));
    }

    /** A named variant of the model's template ({@code tokenizer.chat_template.NAME}, e.g. "tool_use"), if any. */
    Optional<String> chatTemplateSource(String name) {
        return read(() -> {
            try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
                return Optional.ofNullable(LlamaC.string((MemorySegment) LlamaC.llama_model_chat_template
                        .invokeExact(model, a.allocateFrom(name))));
            }
        });
    }

    public int tokenBos() {
        return read(() -> (int) LlamaC.llama_vocab_bos.invokeExact(vocab));
    }

    public int tokenEos() {
        return read(() -> (int) LlamaC.llama_vocab_eos.invokeExact(vocab));
    }

    /** True for tokens that end a generation (EOS, EOT, end-of-turn markers). */
    public boolean isEndOfGeneration(int token) {
        checkToken(token);
        return read(() -> (boolean) LlamaC.llama_vocab_is_eog.invokeExact(vocab, token));
    }

    /**
     * Text to tokens.
     *
     * @param addSpecial    add BOS/EOS as the model's tokenizer wants
     * @param parseSpecial  parse control tokens written in the text instead of treating them as plain text
     */
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        Objects.requireNonNull(text, "text");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return read(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment input = a.allocate(utf8.length + 1L);
                MemorySegment.copy(utf8, 0, input, JAVA_BYTE, 0, utf8.length);
                int capacity = utf8.length + 4;
                for (int attempt = 0; attempt < 2; attempt++) {
                    MemorySegment out = a.allocate(JAVA_INT, capacity);
                    int n = (int) LlamaC.llama_tokenize.invokeExact(vocab, input, utf8.length, out, capacity,
                            addSpecial, parseSpecial);
                    if (n == Integer.MIN_VALUE) {
                        throw new IllegalArgumentException("the text is too long to tokenize (over 2^31 tokens)");
                    }
                    if (n >= 0) {
                        return out.asSlice(0, n * 4L).toArray(JAVA_INT);
                    }
                    capacity = -n;
                }
                throw new LlamaException("llama_tokenize kept asking for a larger buffer");
            }
        });
    }

    /**
     * Tokens to text. Token ids are checked against the vocabulary first.
     *
     * @param removeSpecial    drop the BOS/EOS the tokenizer adds
     * @param unparseSpecial   render control tokens as their text
     */
    public String detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        for (int t : tokens) {
            checkToken(t);
        }
        return read(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment in = a.allocateFrom(JAVA_INT, tokens);
                int capacity = Math.max(16, tokens.length * 8);
                for (int attempt = 0; attempt < 2; attempt++) {
                    MemorySegment out = a.allocate(capacity);
                    int n = (int) LlamaC.llama_detokenize.invokeExact(vocab, in, tokens.length, out, capacity,
                            removeSpecial, unparseSpecial);
                    if (n >= 0) {
                        return new String(out.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
                    }
                    capacity = -n;
                }
                throw new LlamaException("llama_detokenize kept asking for a larger buffer");
            }
        });
    }

    /**
     * One token's text ({@code llama_token_to_piece}), its leading space kept. A byte token may be part of a UTF-8
     * character; its bytes that are not whole characters come back as U+FFFD.
     *
     * @param special  render control tokens as their text (else they are empty)
     */
    public String tokenToPiece(int token, boolean special) {
        checkToken(token);
        return read(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(64);
                int n = (int) LlamaC.llama_token_to_piece.invokeExact(vocab, token, out, 64, 0, special);
                if (n < 0) {
                    out = a.allocate(-n);
                    n = (int) LlamaC.llama_token_to_piece.invokeExact(vocab, token, out, (int) out.byteSize(), 0,
                            special);
                }
                if (n < 0) {
                    throw new LlamaException("llama_token_to_piece kept asking for a larger buffer");
                }
                return new String(out.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
            }
        });
    }

    /** Throws IllegalArgumentException for an id outside the vocabulary, before it can reach native code. */
    public void checkToken(int token) {
        if (token < 0 || token >= nVocab) {
            throw new IllegalArgumentException("token id " + token + " is outside this model's vocabulary (0.."
                    + (nVocab - 1) + ")");
        }
    }

    /**
     * Renders messages with the model's chat template through llama.cpp's built-in template renderer
     * (ChatML when the model has no template).
     *
     * @param addAssistant  end with the opening of an assistant turn, ready for generation
     */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addAssistant) {
        List<ChatMessage> copy = List.copyOf(messages);
        return read(() -> ChatTemplates.apply(this, copy, addAssistant));
    }

    /**
     * The chat template llama.cpp's chat library runs for this model: its own ({@code override} empty; ChatML when it
     * has none) or the Jinja source given. Created once per source and closed with the model.
     */
    public ChatTemplate chatTemplate(String override) {
        Objects.requireNonNull(override, "override");
        return read(() -> templates.computeIfAbsent(override, o -> new ChatTemplate(this, o)));
    }

    /**
     * Answers a conversation in a context created for this call (see {@link LlamaContext#chat} to reuse one).
     */
    public ChatResult chat(List<ChatMessage> messages, ChatOptions options, ContextParams context,
            ChatSink sink) {
        try (LlamaContext ctx = newContext(context)) {
            return ctx.chat(messages, options, sink);
        }
    }

    /** A context for embeddings; close it before the model. */
    public EmbeddingContext newEmbeddingContext(EmbeddingParams params) {
        Objects.requireNonNull(params, "params");
        ensureWeights("an embedding context");
        return read(() -> {
            EmbeddingContext context = new EmbeddingContext(this, params);
            embeddingContexts.add(context);
            return context;
        });
    }

    /** Embeds texts with default parameters in a context created for this call. */
    public List<float[]> embed(List<String> texts) {
        try (EmbeddingContext context = newEmbeddingContext(EmbeddingParams.defaults())) {
            return context.embed(texts);
        }
    }

    /** Open contexts of this model. */
    public int openContexts() {
        return contexts.size();
    }

    /**
     * Closes the model's engines (their requests end with an error saying so) and remaining contexts, then frees the
     * weights. A context that another thread is using right now makes this throw IllegalStateException (cancel it
     * first); the weights are not freed in that case. Weights that a chat template call abandoned past its deadline
     * may still use are never freed.
     */
    @Override
    public void close() {
        // engines first, without the lock: an engine's loop may need the model's read lock to finish its step
        for (AutoCloseable engine : new ArrayList<>(dependents)) {
            try {
                engine.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing an engine of " + path.getFileName() + " failed: " + e, e);
            }
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            if (!dependents.isEmpty()) {
                throw new IllegalStateException("an engine was started on " + path.getFileName() + " while it was"
                        + " closing; close that engine, then the model");
            }
            for (LlamaContext context : new ArrayList<>(contexts)) {
                context.close();
            }
            for (EmbeddingContext context : new ArrayList<>(embeddingContexts)) {
                context.close();
            }
            closed = true;
            templates.values().forEach(ChatTemplate::close);
            templates.clear();
            if (dev.hearth.llama.ffi.NativeLibraries.shimLoaded()) {
                dev.hearth.llama.ffi.HearthNativeC.forgetVocab(vocab); // its address may serve the next model
            }
            try {
                arena.close();
            } catch (IllegalStateException inUse) { // only a template call abandoned past its deadline can hold it
                org.slf4j.LoggerFactory.getLogger(LlamaModel.class).warn("{} stays in memory: a chat template call"
                        + " that ran past its deadline may still be using it", path.getFileName());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "LlamaModel[" + path.getFileName() + (closed ? ", closed]" : "]");
    }
}
