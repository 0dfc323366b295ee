// libhearth_native: see hearth_native.h. Every entry point runs inside guarded(), so no C++ exception reaches
// the JVM; results are copied into malloc'd strings that the caller frees with hearth_free().
#include "hearth_native.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <cstring>
#include <ctime>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat.h"
#include "json-schema-to-grammar.h"

namespace {

char * copy_string(const std::string & s) {
    char * out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out != nullptr) {
        std::memcpy(out, s.c_str(), s.size() + 1);
    }
    return out;
}

template <typename F>
int32_t guarded(char ** error, F && body) {
    if (error != nullptr) {
        *error = nullptr;
    }
    try {
        body();
        return 0;
    } catch (const std::exception & e) {
        if (error != nullptr) {
            *error = copy_string(e.what()[0] != '\0' ? e.what() : "unknown C++ exception");
        }
    } catch (...) {
        if (error != nullptr) {
            *error = copy_string("unknown C++ exception");
        }
    }
    return 1;
}

// UTF-8 as RFC 3629 has it: the length a lead byte announces (0 for a byte that cannot lead), and the range the
// byte after it must fall in (which excludes overlong forms, surrogates and code points past U+10FFFF).
int32_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

bool utf8_second_ok(unsigned char lead, unsigned char next) {
    switch (lead) {
        case 0xE0: return next >= 0xA0 && next <= 0xBF;
        case 0xED: return next >= 0x80 && next <= 0x9F;
        case 0xF0: return next >= 0x90 && next <= 0xBF;
        case 0xF4: return next >= 0x80 && next <= 0x8F;
        default:   return (next & 0xC0) == 0x80;
    }
}

// Whether appending `piece` to output that ends with the incomplete character `held` keeps it valid UTF-8 (an
// incomplete last character is allowed: the next token may finish it).
// Reads the two strings as one without joining them: the fallback of hearth_sampler_sample asks this of every token.
bool keeps_utf8_valid(const std::string & held, const std::string & piece) {
    const size_t nh = held.size();
    const size_t n = nh + piece.size();
    auto b = [&](size_t i) { return static_cast<unsigned char>(i < nh ? held[i] : piece[i - nh]); };
    size_t i = 0;
    while (i < n) {
        const int32_t len = utf8_length(b(i));
        if (len == 0) {
            return false;
        }
        for (int32_t j = 1; j < len && i + j < n; j++) {
            if (j == 1 ? !utf8_second_ok(b(i), b(i + 1)) : (b(i + j) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

// Whether `piece` is valid UTF-8 that ends with a whole character.
bool whole_utf8(const std::string & piece) {
    if (!keeps_utf8_valid(std::string(), piece)) {
        return false;
    }
    size_t i = 0;
    while (i < piece.size()) {
        i += utf8_length(static_cast<unsigned char>(piece[i]));
    }
    return i == piece.size();
}

// What the shim keeps per vocabulary: every token's bytes (special tokens as their text, as llama.cpp's grammar reads
// them), and the tokens as a forest of prefixes: a token's parent is the token whose bytes are the longest proper
// prefix of its own, among tokens that are whole UTF-8 and not end-of-generation. A grammar that refuses a token
// whose bytes are whole characters refuses every token that starts with them (it reads a token character by
// character and refuses it at the first character no rule can take), so filtering the vocabulary need not check the
// descendants of a refused token. End-of-generation tokens, which the grammar judges by another rule, are roots.
struct vocab_pieces {
    std::vector<std::string> pieces;
    std::vector<llama_token> roots;
    std::vector<int32_t> first_child; // children of t: children[first_child[t] .. first_child[t + 1])
    std::vector<llama_token> children;
};

vocab_pieces index_vocab(const llama_vocab * vocab) {
    const int32_t n_vocab = llama_vocab_n_tokens(vocab);
    vocab_pieces v;
    v.pieces.resize(n_vocab);
    std::vector<char> buf(256);
    for (llama_token id = 0; id < n_vocab; id++) {
        int32_t len = llama_token_to_piece(vocab, id, buf.data(), static_cast<int32_t>(buf.size()), 0, true);
        if (len < 0) {
            buf.resize(-len);
            len = llama_token_to_piece(vocab, id, buf.data(), static_cast<int32_t>(buf.size()), 0, true);
        }
        v.pieces[id] = std::string(buf.data(), len > 0 ? len : 0);
    }
    std::unordered_map<std::string_view, llama_token> parents;
    for (llama_token id = 0; id < n_vocab; id++) {
        const std::string & p = v.pieces[id];
        if (!p.empty() && !llama_vocab_is_eog(vocab, id) && whole_utf8(p)) {
            parents.emplace(std::string_view(p), id);
        }
    }
    std::vector<llama_token> parent(n_vocab, LLAMA_TOKEN_NULL);
    std::vector<int32_t> n_children(n_vocab + 1, 0);
    for (llama_token id = 0; id < n_vocab; id++) {
        const std::string_view p(v.pieces[id]);
        if (llama_vocab_is_eog(vocab, id)) {
            continue;
        }
        for (size_t len = p.size(); len-- > 1;) {
            auto it = parents.find(p.substr(0, len));
            if (it != parents.end()) {
                parent[id] = it->second;
                n_children[it->second]++;
                break;
            }
        }
    }
    v.first_child.assign(n_vocab + 1, 0);
    for (llama_token id = 0; id < n_vocab; id++) {
        v.first_child[id + 1] = v.first_child[id] + n_children[id];
    }
    v.children.resize(v.first_child[n_vocab]);
    std::vector<int32_t> next(v.first_child.begin(), v.first_child.end() - 1);
    for (llama_token id = 0; id < n_vocab; id++) {
        if (parent[id] == LLAMA_TOKEN_NULL) {
            v.roots.push_back(id);
        } else {
            v.children[next[parent[id]]++] = id;
        }
    }
    return v;
}

// Computed once per vocabulary and dropped by hearth_vocab_forget when its model is freed: a later model's
// vocabulary may get the same address.
std::mutex pieces_mutex;
std::map<const llama_vocab *, vocab_pieces> pieces_cache;

const vocab_pieces & pieces_of(const llama_vocab * vocab) {
    std::lock_guard<std::mutex> lock(pieces_mutex);
    auto & cache = pieces_cache;
    auto it = cache.find(vocab);
    if (it != cache.end() && it->second.pieces.size() == static_cast<size_t>(llama_vocab_n_tokens(vocab))) {
        return it->second;
    }
    if (it != cache.end()) {
        cache.erase(it); // another vocabulary at a reused address, never forgotten
    }
    return cache.emplace(vocab, index_vocab(vocab)).first->second;
}

llama_token selected(const llama_token_data_array & array) {
    if (array.selected < 0 || array.selected >= static_cast<int64_t>(array.size)) {
        throw std::runtime_error("the sampler chain selected no token");
    }
    return array.data[array.selected].id;
}

// Process-wide counts for hearth_sampler_sample_counts.
struct {
    std::atomic<int64_t> picks{0};
    std::atomic<int64_t> refused{0};
    std::atomic<int64_t> filtered_all{0};
    std::atomic<int64_t> first_ns{0};  // the unconstrained pick and its check
    std::atomic<int64_t> search_ns{0}; // the best-first search
    std::atomic<int64_t> filter_ns{0}; // the whole-vocabulary filter and the chain after it
} sample_counts;

// CPU time of the calling thread: what a phase costs, without the time other processes on a shared machine take.
int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Samplers that change each candidate's logit by itself, whatever else the array holds: run on part of the vocabulary
// they give each token the logit it gets when run on all of it (and -INFINITY stays -INFINITY).
bool changes_each_logit_alone(const llama_sampler * s) {
    const std::string name = llama_sampler_name(s);
    return name == "logit-bias" || name == "penalties";
}

// One pick of hearth_sampler_sample: a chain whose sampler 0 is the grammar, and the logits of one output.
//
// Grammar last, as llama.cpp's common_sampler_sample (grammar_first = false): the chain but its grammar picks a token
// from the whole vocabulary, and that one token is checked against the grammar and the UTF-8 rule. When it is
// refused, the old way (and llama.cpp's) filters every candidate through both and runs the whole chain again: a
// grammar walk per vocabulary entry, most of a pick's time on a 150k vocabulary. Best first instead: the chain's
// leading samplers that change each logit alone (logit bias, penalties) run on every candidate, as they would after
// the filter; the best candidates by that logit are checked, until `need` are allowed; and the rest of the chain runs
// on those alone. That is exactly the array the rest of the chain keeps
// after the filter when it starts with greedy (need = 1: the best allowed token, the lowest id among equals) or with
// top-k (need = k, known from the first pass: the k best allowed tokens, the same array top-k keeps, in the same
// order, so a random chain draws the same token from the same seed). Any other chain, or too few allowed tokens
// among the best max(kChecked, 4 * need) (or before the first -INFINITY), filters every candidate, skipping the
// tokens whose prefix the grammar refused (pruned_filtered_pick).
class constrained_pick {
  public:
    constrained_pick(llama_sampler * chain, const llama_vocab * vocab, const float * logits, int32_t utf8_pending)
        : chain_(chain), vocab_(vocab), logits_(logits), index_(pieces_of(vocab)), pieces_(index_.pieces),
          n_vocab_(llama_vocab_n_tokens(vocab)), n_chain_(llama_sampler_chain_n(chain)) {
        for (int32_t k = 0; k < ((utf8_pending >> 24) & 3); k++) {
            held_.push_back(static_cast<char>((utf8_pending >> (16 - 8 * k)) & 0xFF));
        }
    }

    llama_token sample(int32_t way) {
        sample_counts.picks++;
        int64_t t0 = thread_cpu_ns();
        if (way != HEARTH_SAMPLE_FILTER_FIRST) {
            const llama_token first = unconstrained_pick();
            const bool ok = allowed(first);
            t0 = lap(sample_counts.first_ns, t0);
            if (ok) {
                return first;
            }
            sample_counts.refused++;
        }
        if (way == HEARTH_SAMPLE_BEST_FIRST) {
            const llama_token best = best_allowed_pick();
            t0 = lap(sample_counts.search_ns, t0);
            if (best != LLAMA_TOKEN_NULL) {
                return best;
            }
        }
        sample_counts.filtered_all++;
        const llama_token id =
            way == HEARTH_SAMPLE_BEST_FIRST && held_.empty() ? pruned_filtered_pick() : filtered_pick();
        lap(sample_counts.filter_ns, t0);
        return id;
    }

  private:
    static int64_t lap(std::atomic<int64_t> & total, int64_t since) {
        const int64_t now = thread_cpu_ns();
        total += now - since;
        return now;
    }

    static constexpr size_t kChecked = 256;  // the best-first search checks this many candidates, or 4 * need
    static constexpr size_t kMaxNeed = 1024; // a top-k that keeps more is left to the filter

    llama_sampler * chain_;
    const llama_vocab * vocab_;
    const float * logits_;
    const vocab_pieces & index_;
    const std::vector<std::string> & pieces_;
    const int32_t n_vocab_;
    const int32_t n_chain_;
    std::string held_;
    std::vector<llama_token_data> candidates_;
    size_t top_k_ = 0; // what the chain's top-k kept in the first pass (0: no top-k, or it kept everything)

    llama_sampler * grammar() const { return llama_sampler_chain_get(chain_, 0); }

    bool bytes_allowed(llama_token id) const {
        return llama_vocab_is_eog(vocab_, id) || keeps_utf8_valid(held_, pieces_[id]);
    }

    bool allowed(llama_token id) const {
        if (!bytes_allowed(id)) {
            return false;
        }
        llama_token_data single{id, 1.0f, 0.0f};
        llama_token_data_array one{&single, 1, -1, false};
        llama_sampler_apply(grammar(), &one);
        return single.logit != -INFINITY;
    }

    llama_token_data_array every_candidate(bool filter) {
        candidates_.resize(n_vocab_);
        for (llama_token t = 0; t < n_vocab_; t++) {
            candidates_[t] = llama_token_data{t, !filter || bytes_allowed(t) ? logits_[t] : -INFINITY, 0.0f};
        }
        return llama_token_data_array{candidates_.data(), candidates_.size(), -1, false};
    }

    llama_token unconstrained_pick() {
        llama_token_data_array array = every_candidate(false);
        for (int32_t i = 1; i < n_chain_; i++) {
            const size_t before = array.size;
            llama_sampler * s = llama_sampler_chain_get(chain_, i);
            llama_sampler_apply(s, &array);
            if (std::strcmp(llama_sampler_name(s), "top-k") == 0 && array.size < before) {
                top_k_ = array.size;
            }
        }
        return selected(array);
    }

    llama_token filtered_pick() {
        llama_token_data_array array = every_candidate(true);
        llama_sampler_apply(chain_, &array);
        return selected(array);
    }

    // filtered_pick with the same grammar verdict on every token, but reached through the vocabulary's prefix forest:
    // the descendants of a token the grammar refuses are refused unchecked (see vocab_pieces). Only with no incomplete
    // character held, so that the grammar reads each token from the start of a character.
    llama_token pruned_filtered_pick() {
        std::vector<uint8_t> accepted(n_vocab_, 0);
        std::vector<llama_token_data> level, next;
        for (llama_token t : index_.roots) {
            level.push_back(llama_token_data{t, 0.0f, 0.0f});
        }
        while (!level.empty()) {
            llama_token_data_array checked{level.data(), level.size(), -1, false};
            llama_sampler_apply(grammar(), &checked);
            next.clear();
            for (const llama_token_data & c : level) {
                if (c.logit == -INFINITY) {
                    continue;
                }
                accepted[c.id] = 1;
                for (int32_t j = index_.first_child[c.id]; j < index_.first_child[c.id + 1]; j++) {
                    next.push_back(llama_token_data{index_.children[j], 0.0f, 0.0f});
                }
            }
            level.swap(next);
        }
        candidates_.resize(n_vocab_);
        for (llama_token t = 0; t < n_vocab_; t++) {
            candidates_[t] = llama_token_data{t, accepted[t] && bytes_allowed(t) ? logits_[t] : -INFINITY, 0.0f};
        }
        llama_token_data_array array{candidates_.data(), candidates_.size(), -1, false};
        for (int32_t i = 1; i < n_chain_; i++) { // the grammar's verdict is in the array already
            llama_sampler_apply(llama_sampler_chain_get(chain_, i), &array);
        }
        return selected(array);
    }

    llama_token best_allowed_pick() {
        int32_t first_rest = 1;
        while (first_rest < n_chain_ && changes_each_logit_alone(llama_sampler_chain_get(chain_, first_rest))) {
            first_rest++;
        }
        if (first_rest >= n_chain_) {
            return LLAMA_TOKEN_NULL;
        }
        const char * rest = llama_sampler_name(llama_sampler_chain_get(chain_, first_rest));
        size_t need = 0;
        if (std::strcmp(rest, "greedy") == 0 && first_rest == n_chain_ - 1) {
            need = 1;
        } else if (std::strcmp(rest, "top-k") == 0 && top_k_ > 0) {
            need = top_k_;
        }
        if (need == 0 || need > kMaxNeed) {
            return LLAMA_TOKEN_NULL;
        }
        if (need != 1) { // greedy left the first pass's array as the leading samplers made it; top-k did not
            llama_token_data_array array = every_candidate(false);
            for (int32_t i = 1; i < first_rest; i++) {
                llama_sampler_apply(llama_sampler_chain_get(chain_, i), &array);
            }
        }
        std::vector<llama_token_data> best = best_allowed(need);
        if (best.size() < need) {
            return LLAMA_TOKEN_NULL;
        }
        llama_token_data_array kept{best.data(), best.size(), -1, false};
        for (int32_t i = first_rest; i < n_chain_; i++) {
            llama_sampler_apply(llama_sampler_chain_get(chain_, i), &kept);
        }
        return selected(kept);
    }

    // The `need` best allowed candidates among the best max(kChecked, 4 * need) (fewer if those, or the ones above
    // -INFINITY, hold fewer), best first; among equal logits the lower id first, as greedy's scan of the filtered
    // vocabulary picks. One batch: when so few of the best are allowed, the grammar allows few tokens, and the pruned
    // filter is the cheaper way to find them.
    std::vector<llama_token_data> best_allowed(size_t need) {
        static const auto better = [](const llama_token_data & a, const llama_token_data & b) {
            return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
        };
        const size_t checked_n = std::min(std::max(kChecked, 4 * need), candidates_.size());
        std::partial_sort(candidates_.begin(), candidates_.begin() + checked_n, candidates_.end(), better);
        std::vector<llama_token_data> found, batch;
        for (size_t i = 0; i < checked_n && candidates_[i].logit != -INFINITY; i++) {
            // (the filter leaves -INFINITY candidates at -INFINITY as well: the rest of a chain could not tell them apart)
            if (bytes_allowed(candidates_[i].id)) {
                batch.push_back(candidates_[i]);
            }
        }
        llama_token_data_array checked{batch.data(), batch.size(), -1, false};
        llama_sampler_apply(grammar(), &checked);
        for (const llama_token_data & c : batch) {
            if (c.logit != -INFINITY) {
                found.push_back(c);
                if (found.size() == need) {
                    break;
                }
            }
        }
        return found;
    }
};

common_reasoning_format reasoning_format(const common_json & request) {
    std::string name = request.contains("reasoning_format") ? request.at("reasoning_format").get<std::string>() : "none";
    return common_reasoning_format_from_name(name);
}

}  // namespace

struct hearth_chat_templates {
    common_chat_templates_ptr ptr;
};

extern "C" {

int32_t hearth_native_abi_version(void) { return 6; }

void hearth_vocab_forget(const struct llama_vocab * vocab) {
    std::lock_guard<std::mutex> lock(pieces_mutex);
    pieces_cache.erase(vocab);
}

int32_t hearth_sampler_init_grammar(const struct llama_vocab * vocab, const char * grammar, const char * root,
                                    int32_t lazy, const char ** trigger_patterns, size_t n_patterns,
                                    const llama_token * trigger_tokens, size_t n_tokens, struct llama_sampler ** out,
                                    char ** error) {
    return guarded(error, [&] {
        *out = lazy != 0 ? llama_sampler_init_grammar_lazy_patterns(vocab, grammar, root, trigger_patterns, n_patterns,
                                                                     trigger_tokens, n_tokens)
                         : llama_sampler_init_grammar(vocab, grammar, root);
    });
}

void hearth_free(void * p) { std::free(p); }

int32_t hearth_chat_templates_init(const struct llama_model * model, const char * template_override,
                                   hearth_chat_templates ** out, char ** error) {
    return guarded(error, [&] {
        auto * t = new hearth_chat_templates();
        try {
            t->ptr = common_chat_templates_init(model, template_override != nullptr ? template_override : "");
        } catch (...) {
            delete t;
            throw;
        }
        *out = t;
    });
}

void hearth_chat_templates_free(hearth_chat_templates * tmpls) {
    try {
        delete tmpls;
    } catch (...) {
    }
}

int32_t hearth_chat_templates_info(const hearth_chat_templates * tmpls, char ** info_json, char ** error) {
    return guarded(error, [&] {
        common_json info = common_json::object();
        info["source"] = common_chat_templates_source(tmpls->ptr.get());
        info["tool_use_source"] = common_chat_templates_source(tmpls->ptr.get(), "tool_use");
        info["explicit"] = common_chat_templates_was_explicit(tmpls->ptr.get());
        info["supports_enable_thinking"] = common_chat_templates_support_enable_thinking(tmpls->ptr.get());
        common_json caps = common_json::object();
        for (const auto & [name, value] : common_chat_templates_get_caps(tmpls->ptr.get())) {
            caps[name] = value;
        }
        info["caps"] = caps;
        *info_json = copy_string(info.dump());
    });
}

int32_t hearth_chat_apply(const hearth_chat_templates * tmpls, const char * request_json, char ** result_json,
                          char ** error) {
    return guarded(error, [&] {
        common_json request = common_json::parse(request_json);
        common_chat_templates_inputs inputs;
        inputs.messages = common_chat_msgs_parse_oaicompat(request.at("messages"));
        if (request.contains("tools") && !request.at("tools").is_null()) {
            inputs.tools = common_chat_tools_parse_oaicompat(request.at("tools"));
        }
        if (request.contains("tool_choice")) {
            inputs.tool_choice = common_chat_tool_choice_parse_oaicompat(request.at("tool_choice").get<std::string>());
        }
        inputs.parallel_tool_calls = request.value("parallel_tool_calls", false);
        inputs.enable_thinking = request.value("enable_thinking", true);
        inputs.add_generation_prompt = request.value("add_generation_prompt", true);
        inputs.reasoning_format = reasoning_format(request);
        if (request.contains("json_schema") && !request.at("json_schema").is_null()) {
            inputs.json_schema = request.at("json_schema").dump();
        }
        if (request.contains("grammar") && !request.at("grammar").is_null()) {
            inputs.grammar = request.at("grammar").get<std::string>();
        }
        inputs.use_jinja = true;

        common_chat_params params = common_chat_templates_apply(tmpls->ptr.get(), inputs);

        common_json result = common_json::object();
        result["prompt"] = params.prompt;
        result["grammar"] = params.grammar;
        result["grammar_lazy"] = params.grammar_lazy;
        result["format"] = common_chat_format_name(params.format);
        result["format_id"] = static_cast<int>(params.format);
        result["generation_prompt"] = params.generation_prompt;
        result["supports_thinking"] = params.supports_thinking;
        result["thinking_start_tag"] = params.thinking_start_tag;
        common_json end_tags = common_json::array();
        for (const auto & t : params.thinking_end_tags) end_tags.push_back(t);
        result["thinking_end_tags"] = end_tags;
        common_json triggers = common_json::array();
        for (const auto & t : params.grammar_triggers) {
            common_json trigger = common_json::object();
            trigger["type"] = static_cast<int>(t.type);
            trigger["value"] = t.value;
            trigger["token"] = static_cast<int>(t.token);
            triggers.push_back(trigger);
        }
        result["grammar_triggers"] = triggers;
        common_json preserved = common_json::array();
        for (const auto & t : params.preserved_tokens) preserved.push_back(t);
        result["preserved_tokens"] = preserved;
        common_json stops = common_json::array();
        for (const auto & t : params.additional_stops) stops.push_back(t);
        result["additional_stops"] = stops;
        result["parser"] = params.parser;
        *result_json = copy_string(result.dump());
    });
}

int32_t hearth_chat_parse(const char * state_json, const char * text, int32_t is_partial, char ** message_json,
                          char ** error) {
    return guarded(error, [&] {
        common_json state = common_json::parse(state_json);
        common_chat_parser_params params;
        params.format = static_cast<common_chat_format>(state.at("format_id").get<int>());
        params.generation_prompt = state.value("generation_prompt", std::string());
        params.reasoning_format = reasoning_format(state);
        params.parse_tool_calls = state.value("parse_tool_calls", true);
        std::string parser = state.value("parser", std::string());
        if (!parser.empty()) {
            params.parser.load(parser);
        }
        common_chat_msg msg = common_chat_parse(text, is_partial != 0, params);
        *message_json = copy_string(msg.to_json_oaicompat().dump());
    });
}

int32_t hearth_sampler_accept(struct llama_sampler * sampler, int32_t token, char ** error) {
    return guarded(error, [&] { llama_sampler_accept(sampler, token); });
}

// llama_sampler_sample, except that an end-of-generation token is not fed back to the chain: llama.cpp's grammar
// aborts the process (GGML_ABORT, not an exception) when it accepts an EOG token in the middle of a rule, and the
// caller ends the generation on EOG anyway. The three ways are described in hearth_native.h.
int32_t hearth_sampler_sample(struct llama_sampler * sampler, struct llama_context * ctx, int32_t idx,
                              int32_t utf8_pending, int32_t way, int32_t * token, char ** error) {
    return guarded(error, [&] {
        if (way < HEARTH_SAMPLE_BEST_FIRST || way > HEARTH_SAMPLE_FILTER_ON_REFUSAL) {
            throw std::invalid_argument("unknown sampling way " + std::to_string(way));
        }
        const llama_vocab * vocab = llama_model_get_vocab(llama_get_model(ctx));
        const float * logits = llama_get_logits_ith(ctx, idx);
        if (logits == nullptr) {
            throw std::runtime_error("no logits for output " + std::to_string(idx));
        }
        constrained_pick pick(sampler, vocab, logits, utf8_pending);
        const llama_token id = pick.sample(way);
        if (!llama_vocab_is_eog(vocab, id)) {
            llama_sampler_accept(sampler, id);
        }
        *token = id;
    });
}

void hearth_sampler_sample_counts(int64_t counts[6]) {
    counts[0] = sample_counts.picks.load();
    counts[1] = sample_counts.refused.load();
    counts[2] = sample_counts.filtered_all.load();
    counts[3] = sample_counts.first_ns.load();
    counts[4] = sample_counts.search_ns.load();
    counts[5] = sample_counts.filter_ns.load();
}

int32_t hearth_json_schema_to_grammar(const char * schema_json, char ** grammar, char ** error) {
    return guarded(error, [&] {
        *grammar = copy_string(json_schema_to_grammar(common_json::parse(schema_json)));
    });
}

}  // extern "C"
