// Prints the size and field offsets of every llama.h struct that Hearth's Java bindings lay out by hand
// (dev.hearth.llama.ffi.Layouts). One "name value" line each: "struct:size N", "struct.field N".
// It also prints each ggml type's block size and block bytes: "ggml_type.ID BLCK BYTES".
// LayoutAbiTest compares these with the Java MemoryLayouts, so a header change that moves a field fails a test.
#include <stddef.h>
#include <stdio.h>
#include "llama.h"

#define SIZE(s) printf("%s:size %zu\n", #s, sizeof(struct s))
#define ALIGN(s) printf("%s:align %zu\n", #s, _Alignof(struct s))
#define OFF(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(struct s, f))

int main(void) {
    SIZE(llama_model_params); ALIGN(llama_model_params);
    OFF(llama_model_params, devices);
    OFF(llama_model_params, tensor_buft_overrides);
    OFF(llama_model_params, n_gpu_layers);
    OFF(llama_model_params, split_mode);
    OFF(llama_model_params, load_mode);
    OFF(llama_model_params, lazy_mode);
    OFF(llama_model_params, main_gpu);
    OFF(llama_model_params, tensor_split);
    OFF(llama_model_params, progress_callback);
    OFF(llama_model_params, progress_callback_user_data);
    OFF(llama_model_params, kv_overrides);
    OFF(llama_model_params, vocab_only);
    OFF(llama_model_params, check_tensors);
    OFF(llama_model_params, use_extra_bufts);
    OFF(llama_model_params, no_host);
    OFF(llama_model_params, no_alloc);
    OFF(llama_model_params, load_mtp);

    SIZE(llama_context_params); ALIGN(llama_context_params);
    OFF(llama_context_params, n_ctx);
    OFF(llama_context_params, n_batch);
    OFF(llama_context_params, n_ubatch);
    OFF(llama_context_params, n_seq_max);
    OFF(llama_context_params, n_rs_seq);
    OFF(llama_context_params, n_outputs_max);
    OFF(llama_context_params, n_outputs_max_per_seq);
    OFF(llama_context_params, n_threads);
    OFF(llama_context_params, n_threads_batch);
    OFF(llama_context_params, ctx_type);
    OFF(llama_context_params, rope_scaling_type);
    OFF(llama_context_params, pooling_type);
    OFF(llama_context_params, attention_type);
    OFF(llama_context_params, flash_attn_type);
    OFF(llama_context_params, rope_freq_base);
    OFF(llama_context_params, rope_freq_scale);
    OFF(llama_context_params, yarn_ext_factor);
    OFF(llama_context_params, yarn_attn_factor);
    OFF(llama_context_params, yarn_beta_fast);
    OFF(llama_context_params, yarn_beta_slow);
    OFF(llama_context_params, yarn_orig_ctx);
    OFF(llama_context_params, defrag_thold);
    OFF(llama_context_params, cb_eval);
    OFF(llama_context_params, cb_eval_user_data);
    OFF(llama_context_params, type_k);
    OFF(llama_context_params, type_v);
    OFF(llama_context_params, abort_callback);
    OFF(llama_context_params, abort_callback_data);
    OFF(llama_context_params, embeddings);
    OFF(llama_context_params, offload_kqv);
    OFF(llama_context_params, no_perf);
    OFF(llama_context_params, op_offload);
    OFF(llama_context_params, swa_full);
    OFF(llama_context_params, kv_unified);
    OFF(llama_context_params, samplers);
    OFF(llama_context_params, n_samplers);
    OFF(llama_context_params, ctx_other);

    SIZE(llama_batch); ALIGN(llama_batch);
    OFF(llama_batch, n_tokens);
    OFF(llama_batch, token);
    OFF(llama_batch, embd);
    OFF(llama_batch, pos);
    OFF(llama_batch, n_seq_id);
    OFF(llama_batch, seq_id);
    OFF(llama_batch, logits);

    SIZE(llama_sampler_chain_params); ALIGN(llama_sampler_chain_params);
    OFF(llama_sampler_chain_params, no_perf);

    SIZE(llama_token_data); ALIGN(llama_token_data);
    OFF(llama_token_data, id);
    OFF(llama_token_data, logit);
    OFF(llama_token_data, p);

    SIZE(llama_token_data_array); ALIGN(llama_token_data_array);
    OFF(llama_token_data_array, data);
    OFF(llama_token_data_array, size);
    OFF(llama_token_data_array, selected);
    OFF(llama_token_data_array, sorted);

    SIZE(llama_chat_message); ALIGN(llama_chat_message);
    OFF(llama_chat_message, role);
    OFF(llama_chat_message, content);

    SIZE(llama_logit_bias); ALIGN(llama_logit_bias);
    OFF(llama_logit_bias, token);
    OFF(llama_logit_bias, bias);

    // ggml tensor types: block size and bytes per block, as libggml-base reports them (GgmlType's table).
    for (int t = 0; t < GGML_TYPE_COUNT; t++) {
        if (ggml_blck_size((enum ggml_type) t) == 0) continue; // removed types
        printf("ggml_type.%d %lld %zu\n", t, (long long) ggml_blck_size((enum ggml_type) t), ggml_type_size((enum ggml_type) t));
    }
    return 0;
}
