package dev.hearth.llama.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * One {@link MethodHandle} constant per llama.h / ggml function Hearth calls, named as in C. The class is
 * initialised by {@link NativeLibraries#load()}, which must run first; callers never reach it otherwise.
 * Short, non-blocking calls on the per-token path are linked as critical (no thread-state transition).
 */
@SuppressWarnings("unused")
public final class LlamaC {
    private LlamaC() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = NativeLibraries.symbols();

    private static MethodHandle fn(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new dev.hearth.llama.NativeLibraryException(
                "the llama.cpp library has no symbol " + name + "; the natives do not match release "
                        + NativeLibraries.LLAMA_CPP_RELEASE + ". Re-run scripts/install-natives.sh."));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static FunctionDescriptor fd(java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... args) {
        return FunctionDescriptor.of(result, args);
    }

    private static FunctionDescriptor vd(java.lang.foreign.MemoryLayout... args) {
        return FunctionDescriptor.ofVoid(args);
    }

    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    // backend and logging
    public static final MethodHandle ggml_backend_load_all_from_path = fn("ggml_backend_load_all_from_path", vd(ADDRESS));
    public static final MethodHandle ggml_backend_dev_count = fn("ggml_backend_dev_count", fd(JAVA_LONG));
    public static final MethodHandle ggml_backend_dev_get = fn("ggml_backend_dev_get", fd(ADDRESS, JAVA_LONG));
    public static final MethodHandle ggml_backend_dev_name = fn("ggml_backend_dev_name", fd(ADDRESS, ADDRESS));
    public static final MethodHandle ggml_backend_dev_description = fn("ggml_backend_dev_description", fd(ADDRESS, ADDRESS));
    public static final MethodHandle ggml_backend_reg_by_name = fn("ggml_backend_reg_by_name", fd(ADDRESS, ADDRESS));
    public static final MethodHandle ggml_backend_reg_get_proc_address = fn("ggml_backend_reg_get_proc_address", fd(ADDRESS, ADDRESS, ADDRESS));
    public static final MethodHandle llama_log_set = fn("llama_log_set", vd(ADDRESS, ADDRESS));
    public static final MethodHandle llama_backend_init = fn("llama_backend_init", vd());
    public static final MethodHandle llama_print_system_info = fn("llama_print_system_info", fd(ADDRESS));
    public static final MethodHandle llama_supports_gpu_offload = fn("llama_supports_gpu_offload", fd(JAVA_BOOLEAN));

    // default params (struct returns take a SegmentAllocator first)
    public static final MethodHandle llama_model_default_params = fn("llama_model_default_params", fd(Layouts.LLAMA_MODEL_PARAMS));
    public static final MethodHandle llama_context_default_params = fn("llama_context_default_params", fd(Layouts.LLAMA_CONTEXT_PARAMS));
    public static final MethodHandle llama_sampler_chain_default_params = fn("llama_sampler_chain_default_params", fd(Layouts.LLAMA_SAMPLER_CHAIN_PARAMS));

    // model
    public static final MethodHandle llama_model_load_from_file = fn("llama_model_load_from_file", fd(ADDRESS, ADDRESS, Layouts.LLAMA_MODEL_PARAMS));
    public static final MethodHandle llama_model_free = fn("llama_model_free", vd(ADDRESS));
    public static final MethodHandle llama_model_get_vocab = fn("llama_model_get_vocab", fd(ADDRESS, ADDRESS));
    public static final MethodHandle llama_model_n_ctx_train = fn("llama_model_n_ctx_train", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_model_n_embd = fn("llama_model_n_embd", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_model_n_layer = fn("llama_model_n_layer", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_model_n_head = fn("llama_model_n_head", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_model_n_head_kv = fn("llama_model_n_head_kv", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_model_size = fn("llama_model_size", fd(JAVA_LONG, ADDRESS));
    public static final MethodHandle llama_model_n_params = fn("llama_model_n_params", fd(JAVA_LONG, ADDRESS));
    public static final MethodHandle llama_model_desc = fn("llama_model_desc", fd(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    public static final MethodHandle llama_model_meta_count = fn("llama_model_meta_count", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_model_meta_key_by_index = fn("llama_model_meta_key_by_index", fd(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
    public static final MethodHandle llama_model_meta_val_str_by_index = fn("llama_model_meta_val_str_by_index", fd(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
    public static final MethodHandle llama_model_chat_template = fn("llama_model_chat_template", fd(ADDRESS, ADDRESS, ADDRESS));

    // vocab
    public static final MethodHandle llama_vocab_n_tokens = fn("llama_vocab_n_tokens", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_vocab_bos = fn("llama_vocab_bos", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_vocab_eos = fn("llama_vocab_eos", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_vocab_is_eog = fn("llama_vocab_is_eog", fd(JAVA_BOOLEAN, ADDRESS, JAVA_INT), CRITICAL);
    public static final MethodHandle llama_tokenize = fn("llama_tokenize", fd(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN));
    public static final MethodHandle llama_token_to_piece = fn("llama_token_to_piece", fd(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_BOOLEAN), CRITICAL);
    public static final MethodHandle llama_detokenize = fn("llama_detokenize", fd(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN));

    // context
    public static final MethodHandle llama_init_from_model = fn("llama_init_from_model", fd(ADDRESS, ADDRESS, Layouts.LLAMA_CONTEXT_PARAMS));
    public static final MethodHandle llama_free = fn("llama_free", vd(ADDRESS));
    public static final MethodHandle llama_n_ctx = fn("llama_n_ctx", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_n_batch = fn("llama_n_batch", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_get_memory = fn("llama_get_memory", fd(ADDRESS, ADDRESS));
    public static final MethodHandle llama_memory_clear = fn("llama_memory_clear", vd(ADDRESS, JAVA_BOOLEAN));
    public static final MethodHandle llama_memory_seq_rm = fn("llama_memory_seq_rm", fd(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    public static final MethodHandle llama_memory_seq_cp = fn("llama_memory_seq_cp", vd(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    public static final MethodHandle llama_memory_seq_pos_max = fn("llama_memory_seq_pos_max", fd(JAVA_INT, ADDRESS, JAVA_INT));
    public static final MethodHandle llama_set_abort_callback = fn("llama_set_abort_callback", vd(ADDRESS, ADDRESS, ADDRESS));
    public static final MethodHandle llama_set_n_threads = fn("llama_set_n_threads", vd(ADDRESS, JAVA_INT, JAVA_INT));
    public static final MethodHandle llama_synchronize = fn("llama_synchronize", vd(ADDRESS));
    public static final MethodHandle llama_get_embeddings_seq = fn("llama_get_embeddings_seq", fd(ADDRESS, ADDRESS, JAVA_INT));
    public static final MethodHandle llama_get_embeddings_ith = fn("llama_get_embeddings_ith", fd(ADDRESS, ADDRESS, JAVA_INT));
    public static final MethodHandle llama_pooling_type = fn("llama_pooling_type", fd(JAVA_INT, ADDRESS));
    public static final MethodHandle llama_get_logits_ith = fn("llama_get_logits_ith", fd(ADDRESS, ADDRESS, JAVA_INT));

    // batches and decoding
    public static final MethodHandle llama_batch_init = fn("llama_batch_init", fd(Layouts.LLAMA_BATCH, JAVA_INT, JAVA_INT, JAVA_INT));
    public static final MethodHandle llama_batch_free = fn("llama_batch_free", vd(Layouts.LLAMA_BATCH));
    public static final MethodHandle llama_encode = fn("llama_encode", fd(JAVA_INT, ADDRESS, Layouts.LLAMA_BATCH));
    public static final MethodHandle llama_model_has_encoder = fn("llama_model_has_encoder", fd(JAVA_BOOLEAN, ADDRESS));
    public static final MethodHandle llama_model_has_decoder = fn("llama_model_has_decoder", fd(JAVA_BOOLEAN, ADDRESS));
    public static final MethodHandle llama_decode = fn("llama_decode", fd(JAVA_INT, ADDRESS, Layouts.LLAMA_BATCH));

    // sampling
    public static final MethodHandle llama_sampler_chain_init = fn("llama_sampler_chain_init", fd(ADDRESS, Layouts.LLAMA_SAMPLER_CHAIN_PARAMS));
    public static final MethodHandle llama_sampler_chain_add = fn("llama_sampler_chain_add", vd(ADDRESS, ADDRESS));
    public static final MethodHandle llama_sampler_init_greedy = fn("llama_sampler_init_greedy", fd(ADDRESS));
    public static final MethodHandle llama_sampler_init_dist = fn("llama_sampler_init_dist", fd(ADDRESS, JAVA_INT));
    public static final MethodHandle llama_sampler_init_top_k = fn("llama_sampler_init_top_k", fd(ADDRESS, JAVA_INT));
    public static final MethodHandle llama_sampler_init_top_p = fn("llama_sampler_init_top_p", fd(ADDRESS, JAVA_FLOAT, JAVA_LONG));
    public static final MethodHandle llama_sampler_init_min_p = fn("llama_sampler_init_min_p", fd(ADDRESS, JAVA_FLOAT, JAVA_LONG));
    public static final MethodHandle llama_sampler_init_temp = fn("llama_sampler_init_temp", fd(ADDRESS, JAVA_FLOAT));
    public static final MethodHandle llama_sampler_init_penalties = fn("llama_sampler_init_penalties", fd(ADDRESS, JAVA_INT, JAVA_INT, JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT));
    public static final MethodHandle llama_sampler_init_logit_bias = fn("llama_sampler_init_logit_bias", fd(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    public static final MethodHandle llama_sampler_init_grammar = fn("llama_sampler_init_grammar", fd(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    public static final MethodHandle llama_sampler_init_grammar_lazy_patterns = fn("llama_sampler_init_grammar_lazy_patterns", fd(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    public static final MethodHandle llama_sampler_accept = fn("llama_sampler_accept", vd(ADDRESS, JAVA_INT));
    public static final MethodHandle llama_sampler_sample = fn("llama_sampler_sample", fd(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    public static final MethodHandle llama_sampler_reset = fn("llama_sampler_reset", vd(ADDRESS));
    public static final MethodHandle llama_sampler_free = fn("llama_sampler_free", vd(ADDRESS));

    // chat templates
    public static final MethodHandle llama_chat_apply_template = fn("llama_chat_apply_template", fd(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_BOOLEAN, ADDRESS, JAVA_INT));

    /** Upcall signatures Hearth implements. */
    public static final FunctionDescriptor LOG_CALLBACK = vd(JAVA_INT, ADDRESS, ADDRESS);
    public static final FunctionDescriptor PROGRESS_CALLBACK = fd(JAVA_BOOLEAN, JAVA_FLOAT, ADDRESS);
    public static final FunctionDescriptor ABORT_CALLBACK = fd(JAVA_BOOLEAN, ADDRESS);

    public static MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    /** Reads a NUL-terminated C string, or null for a NULL pointer. */
    public static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? null : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
