// The llama.cpp peer for `scripts/bench.sh grammar`: greedy decode of up to M tokens after a 32-token prompt,
// constrained by a GBNF grammar through llama.cpp's own common sampler (common_sampler_sample, grammar last), on the
// same libllama and libllama-common as Hearth (dev.hearth.bench.GrammarBench). Stops at end-of-generation, as Hearth
// does. Prints one line: "decode_tps X tokens N".
// Usage: grammar_bench_c MODEL NATIVES_DIR THREADS DECODE GRAMMAR_FILE
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.h"
#include "common.h"
#include "sampling.h"

int main(int argc, char ** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s MODEL NATIVES_DIR THREADS DECODE GRAMMAR_FILE\n", argv[0]);
        return 2;
    }
    const int threads = std::atoi(argv[3]), n_decode = std::atoi(argv[4]), n_prompt = 32;
    std::ifstream in(argv[5]);
    std::stringstream gbnf;
    gbnf << in.rdbuf();
    llama_log_set(quiet_log, nullptr);
    ggml_backend_load_all_from_path(argv[2]);
    llama_backend_init();

    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { std::fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_vocab = llama_vocab_n_tokens(vocab);

    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 512;
    cp.n_batch = 64;
    cp.n_ubatch = 64;
    cp.n_seq_max = 1;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { std::fprintf(stderr, "cannot create context\n"); return 1; }

    common_params_sampling sp;
    sp.temp = 0.0f; // the temperature sampler keeps only the best token: greedy, as Hearth's bench samples
    sp.samplers = {COMMON_SAMPLER_TYPE_TEMPERATURE};
    sp.grammar = common_grammar(COMMON_GRAMMAR_TYPE_USER, gbnf.str());
    sp.no_perf = true;

    // Same prompt as the Java side: token i is 1 + (i * 7919) % (n_vocab - 1).
    std::vector<llama_token> prompt(n_prompt);
    for (int i = 0; i < n_prompt; i++) prompt[i] = 1 + static_cast<int>((static_cast<long>(i) * 7919) % (n_vocab - 1));

    for (int round = 0; round < 2; round++) { // round 0 warms up, round 1 is counted
        common_sampler * smpl = common_sampler_init(model, sp);
        if (!smpl) { std::fprintf(stderr, "the grammar does not parse\n"); return 1; }
        llama_memory_clear(llama_get_memory(ctx), true);
        if (llama_decode(ctx, llama_batch_get_one(prompt.data(), n_prompt)) != 0) { std::fprintf(stderr, "prefill failed\n"); return 1; }
        llama_token tok = common_sampler_sample(smpl, ctx, -1, false);
        int n = 1;
        const double t0 = now_s();
        while (n < n_decode && !llama_vocab_is_eog(vocab, tok)) {
            common_sampler_accept(smpl, tok, true);
            if (llama_decode(ctx, llama_batch_get_one(&tok, 1)) != 0) { std::fprintf(stderr, "decode failed\n"); return 1; }
            tok = common_sampler_sample(smpl, ctx, -1, false);
            n++;
        }
        const double t1 = now_s();
        if (round == 1) std::printf("decode_tps %.3f tokens %d\n", (n - 1) / (t1 - t0), n);
        common_sampler_free(smpl);
    }
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
