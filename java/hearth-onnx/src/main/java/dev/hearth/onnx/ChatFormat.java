package dev.hearth.onnx;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.Role;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a family of models lays out a conversation, for ONNX generators (which have no Jinja engine): the
 * prompt the family's own chat template renders for plain system, user and assistant messages, with the generation
 * prompt, and the marker that ends the model's turn. Chosen from the {@code chat_template} of the model's
 * {@code tokenizer_config.json} by {@link #detect}; ChatML is the fallback for a model without a template, as in
 * llama.cpp.
 */
public enum ChatFormat {
    /** {@code <|im_start|>role ... <|im_end|>}: Qwen 2/2.5/3, SmolLM, Hermes, and most fine-tunes. */
    CHATML("<|im_end|>", "<|endoftext|>"),
    /** {@code <|start_header_id|>role<|end_header_id|>}: Llama 3. */
    LLAMA3("<|eot_id|>", "<|end_of_text|>", "<|eom_id|>"),
    /** Llama 3.1, 3.2 and 3.3: Llama 3's layout, and a system turn that always opens with the knowledge cut-off and today's date. */
    LLAMA31("<|eot_id|>", "<|end_of_text|>", "<|eom_id|>"),
    /** {@code <start_of_turn>user|model}: Gemma 1, 2 and 3 (a system message opens the first user turn). */
    GEMMA("<end_of_turn>", "<eos>"),
    /** {@code <|system|> <|user|> <|assistant|> ... <|end|>}: Phi-3 and Phi-3.5. */
    PHI3("<|end|>", "<|endoftext|>"),
    /**
     * {@code <｜User｜> ... <｜Assistant｜>}: the DeepSeek R1 distills (on Qwen and Llama). The answer opens with the
     * model's reasoning, already inside {@code <think>}.
     */
    DEEPSEEK_R1("<｜end▁of▁sentence｜>");

    /** Phi writes {@code <|end|>} straight after the content; look-alikes (Apriel) put a newline between. */
    private static final Pattern PHI_TURN = Pattern.compile("content'?]?\\s*\\+\\s*'<\\|end\\|>");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH);

    private final List<String> stops;

    ChatFormat(String... stops) {
        this.stops = List.of(stops);
    }

    /** Whether the generation prompt leaves the model inside a {@code <think>} block (its answer opens with reasoning). */
    public boolean opensThinking() {
        return this == DEEPSEEK_R1;
    }

    /** The markers that end the model's turn: generation stops there and they are not shown. */
    public List<String> stops() {
        return stops;
    }

    /**
     * The format a chat template writes, from the markers it uses; empty for a template none of these formats
     * matches (DeepSeek V3's, Mistral's, Granite's, ...), so that a caller can refuse instead of prompting the model in a
     * layout it was not trained on.
     */
    public static Optional<ChatFormat> detect(String template) {
        if (template == null || template.isBlank()) {
            return Optional.empty();
        }
        if (template.contains("<｜User｜>") || template.contains("<|User|>")) {
            // R1 opens the answer in a think block; DeepSeek's other chat layouts are not written here
            return template.contains("<｜Assistant｜><think>\\n") ? Optional.of(DEEPSEEK_R1) : Optional.empty();
        }
        if (template.contains("<|start_header_id|>")) {
            return Optional.of(template.contains("Cutting Knowledge Date") ? LLAMA31 : LLAMA3);
        }
        if (template.contains("<|im_start|>")) {
            return Optional.of(CHATML);
        }
        if (template.contains("<start_of_turn>")) {
            return Optional.of(GEMMA);
        }
        if (template.contains("<|user|>") && PHI_TURN.matcher(template).find()) {
            return Optional.of(PHI3);
        }
        return Optional.empty();
    }

    /**
     * The prompt for {@code messages}, ending with the opening of the assistant's turn.
     *
     * @throws IllegalArgumentException for a tool message or an assistant message with tool calls (ONNX generators
     *         take no tools), for a conversation that does not end with a user message, or for a Gemma
     *         conversation whose turns do not alternate
     */
    public String render(List<ChatMessage> messages) {
        return render(messages, LocalDate.now());
    }

    /** {@link #render(List)} on the given day (Llama 3.1 and later write today's date into the system turn). */
    public String render(List<ChatMessage> messages, LocalDate today) {
        for (ChatMessage m : messages) {
            if (m.role() == Role.TOOL || !m.toolCalls().isEmpty()) {
                throw new IllegalArgumentException("ONNX generators take no tools: the conversation has a "
                        + (m.role() == Role.TOOL ? "tool result" : "tool call") + "; send it to a llama or remote model");
            }
        }
        if (messages.isEmpty() || messages.getLast().role() != Role.USER) {
            throw new IllegalArgumentException("the conversation must end with a user message for the model to answer");
        }
        StringBuilder p = new StringBuilder();
        switch (this) {
            case CHATML -> {
                for (ChatMessage m : messages) {
                    p.append("<|im_start|>").append(m.role().wireName()).append('\n').append(m.content())
                            .append("<|im_end|>\n");
                }
                p.append("<|im_start|>assistant\n");
            }
            case LLAMA3, LLAMA31 -> {
                p.append("<|begin_of_text|>");
                List<ChatMessage> turns = messages;
                if (this == LLAMA31) {
                    String system = messages.getFirst().role() == Role.SYSTEM ? messages.getFirst().content().strip() : "";
                    p.append("<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: ")
                            .append(DAY.format(today)).append("\n\n").append(system).append("<|eot_id|>");
                    turns = messages.getFirst().role() == Role.SYSTEM ? messages.subList(1, messages.size()) : messages;
                }
                for (ChatMessage m : turns) {
                    p.append("<|start_header_id|>").append(m.role().wireName()).append("<|end_header_id|>\n\n")
                            .append(m.content().strip()).append("<|eot_id|>");
                }
                p.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
            }
            case GEMMA -> {
                p.append("<bos>");
                for (ChatMessage m : gemmaTurns(messages)) {
                    p.append("<start_of_turn>").append(m.role() == Role.ASSISTANT ? "model" : "user").append('\n')
                            .append(m.content().strip()).append("<end_of_turn>\n");
                }
                p.append("<start_of_turn>model\n");
            }
            case DEEPSEEK_R1 -> {
                p.append("<｜begin▁of▁sentence｜>");
                messages.stream().filter(m -> m.role() == Role.SYSTEM).reduce((a, b) -> b)
                        .ifPresent(m -> p.append(m.content()));
                for (ChatMessage m : messages) {
                    if (m.role() == Role.USER) {
                        p.append("<｜User｜>").append(m.content());
                    } else if (m.role() == Role.ASSISTANT) {
                        String content = m.content();
                        int think = content.lastIndexOf("</think>");
                        p.append("<｜Assistant｜>").append(think >= 0 ? content.substring(think + 8) : content)
                                .append("<｜end▁of▁sentence｜>");
                    }
                }
                p.append("<｜Assistant｜><think>\n");
            }
            case PHI3 -> {
                for (ChatMessage m : messages) {
                    if (m.role() == Role.SYSTEM && m.content().isEmpty()) {
                        continue;
                    }
                    p.append("<|").append(m.role().wireName()).append("|>\n").append(m.content()).append("<|end|>\n");
                }
                p.append("<|assistant|>\n");
            }
        }
        return p.toString();
    }

    /** Gemma has no system role: system text opens the first user turn; the turns must then alternate. */
    private static List<ChatMessage> gemmaTurns(List<ChatMessage> messages) {
        List<ChatMessage> turns = new ArrayList<>();
        StringBuilder system = new StringBuilder();
        for (ChatMessage m : messages) {
            if (m.role() == Role.SYSTEM) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.content().strip());
                continue;
            }
            if (!turns.isEmpty() && turns.getLast().role() == m.role()) {
                throw new IllegalArgumentException("Gemma's turns must alternate user/assistant; two " + m.role()
                        .wireName() + " messages follow each other");
            }
            if (turns.isEmpty() && m.role() != Role.USER) {
                throw new IllegalArgumentException("Gemma's conversation must start with a user message");
            }
            String content = turns.isEmpty() && !system.isEmpty() ? system + "\n\n" + m.content().strip() : m.content();
            turns.add(new ChatMessage(m.role(), content));
        }
        return turns;
    }
}
