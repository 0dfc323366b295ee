/*
 * libhearth_native: a plain C ABI over the parts of llama.cpp's C++ chat library (libllama-common) that Hearth
 * uses: chat templates (Jinja, tools, reasoning), the output parser, and JSON Schema -> GBNF.
 *
 * Only pointers, integers and UTF-8 strings (JSON where structured) cross this boundary. Every function catches
 * every C++ exception: it returns 0 on success, or non-zero with *error set to a message. Every string returned
 * through an out-parameter is owned by the caller and must be released with hearth_free().
 */
#ifndef HEARTH_NATIVE_H
#define HEARTH_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#define HEARTH_API __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif

struct llama_model;
typedef struct hearth_chat_templates hearth_chat_templates;

/* The ABI version of this header; Java checks it before binding anything else. */
HEARTH_API int32_t hearth_native_abi_version(void);

HEARTH_API void hearth_free(void * p);

/* Templates of a model (tokenizer.chat_template, its tool_use variant), or of template_override when not NULL.
 * A model without a template gets llama.cpp's fallback (ChatML). */
HEARTH_API int32_t hearth_chat_templates_init(const struct llama_model * model, const char * template_override,
                                   hearth_chat_templates ** out, char ** error);
HEARTH_API void hearth_chat_templates_free(hearth_chat_templates * tmpls);

/* The template source (variant "" = default, "tool_use") and its capabilities, as JSON. */
HEARTH_API int32_t hearth_chat_templates_info(const hearth_chat_templates * tmpls, char ** info_json, char ** error);

/* Renders a request. request_json: {"messages": [OpenAI chat messages], "tools": [OpenAI tools],
 * "tool_choice": "auto"|"required"|"none", "parallel_tool_calls": bool, "enable_thinking": bool,
 * "reasoning_format": "none"|"auto"|"deepseek", "add_generation_prompt": bool, "json_schema": {...},
 * "grammar": "..."}. result_json: prompt, grammar, grammar_lazy, grammar_triggers, preserved_tokens,
 * additional_stops, format, and "parser": the per-request state to pass back to hearth_chat_parse. */
HEARTH_API int32_t hearth_chat_apply(const hearth_chat_templates * tmpls, const char * request_json, char ** result_json,
                          char ** error);

/* Parses generated text with the state hearth_chat_apply returned ({"format", "generation_prompt", "parser",
 * "reasoning_format", "parse_tool_calls"}). message_json: an OpenAI-style assistant message with
 * "content", "reasoning_content" and "tool_calls". is_partial: 1 while the generation is still running. */
HEARTH_API int32_t hearth_chat_parse(const char * state_json, const char * text, int32_t is_partial, char ** message_json,
                          char ** error);

/* llama_sampler_accept and llama_sampler_sample, for chains with a grammar: llama.cpp's grammar sampler reports
 * a token it cannot accept by throwing a C++ exception, which must not reach the JVM. */
struct llama_sampler;
struct llama_context;
HEARTH_API int32_t hearth_sampler_accept(struct llama_sampler * sampler, int32_t token, char ** error);
/* utf8_pending: the bytes of the output's last, incomplete UTF-8 character: (count << 24) | (b0 << 16) | (b1 << 8) | b2.
 * Candidates whose bytes would make the output invalid UTF-8 are removed before the chain runs: llama.cpp's grammar
 * counts the bytes of an invalid sequence as characters, so without this a constrained string could decode to
 * U+FFFD and break the schema it was meant to follow. The chain's first sampler must be its grammar.
 * way: how the grammar and the UTF-8 rule are applied (the first is the fast one; the others, kept for tests and
 * benchmarks, are the ways it replaced):
 * HEARTH_SAMPLE_BEST_FIRST: as llama.cpp's common sampler (grammar_first = false), the rest of the chain picks a
 *   token from every candidate and only that token is checked. When it is refused, the best 256 candidates are
 *   checked for as many allowed ones as decide the chain's pick (1 before greedy, k before top-k), and the rest of
 *   the chain runs on those; a chain of another shape, or too few allowed among the best, filters every candidate,
 *   skipping those whose prefix (a token of whole characters) the grammar refused.
 * HEARTH_SAMPLE_FILTER_ON_REFUSAL: the same check, but a refused pick always filters every candidate and runs the
 *   whole chain again.
 * HEARTH_SAMPLE_FILTER_FIRST: filter every candidate, then run the chain.
 * A greedy chain gives the same token all three ways. A random chain draws twice when the first pick is refused, so
 * the first two ways give the same tokens from the same seed (up to the order of candidates with equal logits) and
 * the third gives other tokens. */
#define HEARTH_SAMPLE_BEST_FIRST 0
#define HEARTH_SAMPLE_FILTER_FIRST 1
#define HEARTH_SAMPLE_FILTER_ON_REFUSAL 2
HEARTH_API int32_t hearth_sampler_sample(struct llama_sampler * sampler, struct llama_context * ctx, int32_t idx,
                                         int32_t utf8_pending, int32_t way, int32_t * token, char ** error);

/* Counts since the library was loaded, over every hearth_sampler_sample call in the process (for benchmarks):
 * counts[0] picks, counts[1] first picks refused, counts[2] picks that filtered every candidate; then the CPU time of
 * the sampling thread, in nanoseconds, spent on counts[3] the unconstrained picks and their checks, counts[4] the
 * best-first searches, counts[5] the whole-vocabulary filters and the chain after them. */
HEARTH_API void hearth_sampler_sample_counts(int64_t counts[6]);

/* llama_sampler_init_grammar (lazy != 0: llama_sampler_init_grammar_lazy_patterns), with the C++ exceptions a bad
 * trigger pattern throws (std::regex_error) returned as an error. *out is NULL when the grammar does not parse (llama.cpp
 * logs why). */
struct llama_vocab;
HEARTH_API int32_t hearth_sampler_init_grammar(const struct llama_vocab * vocab, const char * grammar, const char * root,
                                               int32_t lazy, const char ** trigger_patterns, size_t n_patterns,
                                               const int32_t * trigger_tokens, size_t n_tokens,
                                               struct llama_sampler ** out, char ** error);

/* Drops what the shim keeps per vocabulary (the token pieces the guarded sampler reads); call before the model that
 * owns the vocabulary is freed. */
HEARTH_API void hearth_vocab_forget(const struct llama_vocab * vocab);

/* Converts a JSON schema to a GBNF grammar. */
HEARTH_API int32_t hearth_json_schema_to_grammar(const char * schema_json, char ** grammar, char ** error);

#ifdef __cplusplus
}
#endif

#endif
