// The C peer for `scripts/bench.sh llama`: prefill N tokens, then decode M tokens greedily (ignoring
// end-of-generation), through the same libllama and with the same parameters as Hearth's Java side
// (dev.hearth.bench.LlamaBench). Prints one line: "prefill_tps X decode_tps Y".
// Usage: llama_bench_c MODEL NATIVES_DIR THREADS PREFILL DECODE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "llama.h"
#include "bench_common.h"

int main(int argc, char ** argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s MODEL NATIVES_DIR THREADS PREFILL DECODE\n", argv[0]);
        return 2;
    }
    const int threads = atoi(argv[3]), n_prefill = atoi(argv[4]), n_decode = atoi(argv[5]);
    llama_log_set(quiet_log, NULL);
    ggml_backend_load_all_from_path(argv[2]);
    llama_backend_init();

    struct llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    struct llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    const struct llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_vocab = llama_vocab_n_tokens(vocab);

    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = n_prefill + n_decode + 16;
    cp.n_batch = n_prefill;
    cp.n_ubatch = n_prefill;
    cp.n_seq_max = 1;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    struct llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "cannot create context\n"); return 1; }

    struct llama_sampler * smpl = llama_sampler_chain_init(llama_sampler_chain_default_params());
    llama_sampler_chain_add(smpl, llama_sampler_init_greedy());

    // Same prompt as the Java side: token i is 1 + (i * 7919) % (n_vocab - 1).
    llama_token * prompt = malloc(sizeof(llama_token) * n_prefill);
    for (int i = 0; i < n_prefill; i++) prompt[i] = 1 + (int) (((long) i * 7919) % (n_vocab - 1));

    for (int round = 0; round < 2; round++) { // round 0 warms up, round 1 is counted
        llama_memory_clear(llama_get_memory(ctx), true);
        llama_sampler_reset(smpl);
        struct llama_batch batch = llama_batch_get_one(prompt, n_prefill);
        double t0 = now_s();
        if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "prefill failed\n"); return 1; }
        llama_synchronize(ctx);
        double t1 = now_s();
        llama_token tok = llama_sampler_sample(smpl, ctx, -1);
        double t2 = now_s();
        for (int i = 0; i < n_decode; i++) {
            struct llama_batch one = llama_batch_get_one(&tok, 1);
            if (llama_decode(ctx, one) != 0) { fprintf(stderr, "decode failed\n"); return 1; }
            tok = llama_sampler_sample(smpl, ctx, -1);
        }
        double t3 = now_s();
        if (round == 1) printf("prefill_tps %.3f decode_tps %.3f\n", n_prefill / (t1 - t0), n_decode / (t3 - t2));
    }
    free(prompt);
    llama_sampler_free(smpl);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
