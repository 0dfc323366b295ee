package dev.hearth.llama;

import dev.hearth.api.ChatSink;
import dev.hearth.api.Tool;
import dev.hearth.llama.internal.ChatPlan;
import dev.hearth.llama.internal.ChatStream;
import dev.hearth.llama.internal.Sampler;
import dev.hearth.testkit.SyntheticModel;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A chat family's forced tool call, examined without generating anything: whether the grammar Hearth runs (the plan
 * {@link ChatPlan#of} makes, after the generation prompt's prefill) lets a model write a given output, token by token
 * as its sampler would, and what llama.cpp's parser makes of that output. The text is tokenized by a synthetic model
 * whose vocabulary has the family's markers as control tokens, as {@code ChatTemplatesTest} generates with.
 * Verdicts depend on the grammar, the tokenizer and the parser only, never on the random weights.
 */
final class ToolCallProbe implements AutoCloseable {
    /**
     * How Sampler refuses prefill tokens the grammar does not accept. The probe feeds its text to the grammar the way
     * Sampler feeds the generation prompt (through llama.cpp's guarded accept), so this is its only refusal.
     */
    static final String PREFILL_REFUSED = "the chat format's grammar does not accept the generation prompt";

    final ChatTemplate.Rendered rendered;
    private final LlamaModel model;
    private final ChatTemplate template;
    private final Grammar grammar;
    private final int[] prefill;
    private final LlamaContext logits;

    private ToolCallProbe(String family, LlamaModel model, ChatOptions options) {
        this.model = model;
        this.template = model.chatTemplate("");
        this.rendered = template.render(ChatTemplatesTest.CONVERSATION, options);
        ChatPlan plan = ChatPlan.of(model, rendered, options);
        this.grammar = plan.params().grammar();
        this.prefill = plan.grammarPrefill();
        if (grammar.isNone()) {
            model.close();
            throw new IllegalArgumentException(family + " has no tool-call grammar");
        }
        LlamaContext ctx = model.newContext(TestModels.context().withContextSize(64).withThreads(1));
        ctx.decode(new int[] {model.tokenBos()}, 0, 1, 0, true, false); // logits for the end-of-output check
        this.logits = ctx;
    }

    /** The family's template on a synthetic model that has its markers, with {@code tool} forced. */
    static ToolCallProbe of(String family, Tool tool) throws IOException {
        LlamaModel model = LlamaModel.load(TestModels.of(ToolFamilies.model(family, SyntheticModel.tiny())),
                ModelParams.defaults());
        return new ToolCallProbe(family, model, ToolFamilies.forced(tool));
    }

    LlamaModel model() {
        return model;
    }

    /** The tokens the model would write {@code text} with (control tokens for the family's markers). */
    int[] tokens(String text) {
        return model.tokenize(text, false, true);
    }

    /** Whether the grammar takes the generation prompt the template wrote (Sampler refuses to start otherwise). */
    boolean acceptsGenerationPrompt() {
        return accepts(new int[0]);
    }

    /** Whether the grammar lets the model write {@code text} (complete or not) after the generation prompt. */
    boolean acceptsPrefix(String text) {
        return accepts(tokens(text));
    }

    /** Whether the grammar lets the model write exactly {@code text} and then end its output. */
    boolean acceptsComplete(String text) {
        int[] tokens = tokens(text);
        if (!accepts(tokens)) {
            return false;
        }
        int eos = model.tokenEos();
        SamplingParams favourEnd = SamplingParams.greedy().withLogitBias(Map.of(eos, 1e9f));
        try (Sampler sampler = new Sampler(model, favourEnd, grammar, concat(prefill, tokens))) {
            // the grammar runs first in the chain: the end token survives only where the grammar is complete
            return sampler.sample(logits.handle(), -1, 0) == eos;
        }
    }

    /** How many tokens of {@code text} the grammar takes before it refuses one (all of them if none). */
    int acceptedTokens(String text) {
        int[] tokens = tokens(text);
        if (accepts(tokens)) {
            return tokens.length;
        }
        int low = 0, high = tokens.length - 1; // the grammar takes tokens[0..low) and refuses tokens[0..high+1)
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (accepts(Arrays.copyOf(tokens, mid))) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** llama.cpp's final parse of {@code text} as the whole output (throws where the parser rejects it). */
    ChatTemplate.Parsed parse(String text) {
        return template.parse(rendered, text, false);
    }

    /** What Hearth answers for {@code text} as the whole output: the final parse, or its fallbacks (ChatStream). */
    ChatTemplate.Parsed answer(String text) {
        ChatStream stream = new ChatStream(template, rendered);
        stream.append(text, ChatSink.discard());
        return stream.finish(ChatSink.discard());
    }

    private boolean accepts(int[] tokens) {
        try (Sampler ignored = new Sampler(model, SamplingParams.greedy(), grammar, concat(prefill, tokens))) {
            return true;
        } catch (LlamaException e) {
            if (!e.getMessage().startsWith(PREFILL_REFUSED)) {
                throw e;
            }
            return false;
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() {
        logits.close();
        model.close();
    }
}
