// The C peer for `scripts/bench.sh engine`: what llama.cpp itself gains from decoding N sequences in one batch on
// this machine. N streams of PROMPT distinct prompt tokens each generate GEN tokens greedily (end-of-generation
// ignored), once together (prompts prefilled in shared batches of up to 512 tokens, then one token per stream per
// decode, as Hearth's engine steps) and once one after another, in one context with N sequence slots and a
// per-sequence KV cache, the same settings as dev.hearth.llama.LlamaEngine. Prints one line:
// "streams N concurrent_tps X sequential_tps Y" (aggregate generated tokens per second, prefill included).
// Usage: llama_batched_c MODEL NATIVES_DIR THREADS STREAMS PROMPT GEN
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "llama.h"
#include "bench_common.h"

static int n_vocab_g;

static llama_token prompt_token(int stream, int i) {
    return 1 + (int) (((long) (i + stream * 7 + 100) * 7919) % (n_vocab_g - 1));
}

// Decodes `streams` sequences starting at `first` together; returns generated tokens.
static long run_together(struct llama_context * ctx, struct llama_sampler ** smpl, int first, int streams,
        int n_prompt, int n_gen) {
    struct llama_batch batch = llama_batch_init(512, 0, 1);
    llama_token * last = calloc(streams, sizeof(llama_token));
    int * sample_at = malloc(sizeof(int) * streams);
    for (int q = 0; q < streams; q++) sample_at[q] = -1;
    // prefill: fill batches of up to 512 tokens, stream by stream
    int s = 0, i = 0;
    while (s < streams) {
        batch.n_tokens = 0;
        while (s < streams && batch.n_tokens < 512) {
            int k = batch.n_tokens++;
            batch.token[k] = prompt_token(first + s, i);
            batch.pos[k] = i;
            batch.n_seq_id[k] = 1;
            batch.seq_id[k][0] = first + s;
            batch.logits[k] = i == n_prompt - 1;
            if (batch.logits[k]) sample_at[s] = k;
            if (++i == n_prompt) { i = 0; s++; }
        }
        if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "prefill failed\n"); exit(1); }
        for (int q = 0; q < streams; q++) {
            if (sample_at[q] >= 0 && sample_at[q] < batch.n_tokens && batch.logits[sample_at[q]]
                    && batch.seq_id[sample_at[q]][0] == first + q) {
                last[q] = llama_sampler_sample(smpl[first + q], ctx, sample_at[q]);
                sample_at[q] = -1;
            }
        }
    }
    long generated = streams;
    for (int step = 1; step < n_gen; step++) {
        batch.n_tokens = streams;
        for (int q = 0; q < streams; q++) {
            batch.token[q] = last[q];
            batch.pos[q] = n_prompt + step - 1;
            batch.n_seq_id[q] = 1;
            batch.seq_id[q][0] = first + q;
            batch.logits[q] = 1;
        }
        if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "decode failed\n"); exit(1); }
        for (int q = 0; q < streams; q++) last[q] = llama_sampler_sample(smpl[first + q], ctx, q);
        generated += streams;
    }
    free(last);
    free(sample_at);
    llama_batch_free(batch);
    return generated;
}

int main(int argc, char ** argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s MODEL NATIVES_DIR THREADS STREAMS PROMPT GEN\n", argv[0]);
        return 2;
    }
    const int threads = atoi(argv[3]), streams = atoi(argv[4]), n_prompt = atoi(argv[5]), n_gen = atoi(argv[6]);
    llama_log_set(quiet_log, NULL);
    ggml_backend_load_all_from_path(argv[2]);
    llama_backend_init();

    struct llama_model_params mp = llama_model_default_params();
    const char * ngl = getenv("HEARTH_BENCH_GPU_LAYERS"); // scripts/gpu-check.sh offloads; the CPU suites do not
    mp.n_gpu_layers = ngl ? atoi(ngl) : 0;
    struct llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    n_vocab_g = llama_vocab_n_tokens(llama_model_get_vocab(model));

    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = streams * (n_prompt + n_gen + 64);
    cp.n_batch = 512;
    cp.n_ubatch = 512;
    cp.n_seq_max = streams;
    cp.kv_unified = false;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    struct llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "cannot create context\n"); return 1; }

    struct llama_sampler ** smpl = malloc(sizeof(*smpl) * streams);
    for (int q = 0; q < streams; q++) {
        smpl[q] = llama_sampler_chain_init(llama_sampler_chain_default_params());
        llama_sampler_chain_add(smpl[q], llama_sampler_init_greedy());
    }
    llama_memory_t mem = llama_get_memory(ctx);

    run_together(ctx, smpl, 0, 1, n_prompt, 8); // warm-up
    llama_memory_clear(mem, true);

    double t0 = now_s();
    long together = run_together(ctx, smpl, 0, streams, n_prompt, n_gen);
    double t1 = now_s();
    llama_memory_clear(mem, true);
    long alone = 0;
    double t2 = now_s();
    for (int q = 0; q < streams; q++) alone += run_together(ctx, smpl, q, 1, n_prompt, n_gen);
    double t3 = now_s();
    printf("streams %d concurrent_tps %.3f sequential_tps %.3f\n", streams, together / (t1 - t0), alone / (t3 - t2));

    for (int q = 0; q < streams; q++) llama_sampler_free(smpl[q]);
    free(smpl);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
