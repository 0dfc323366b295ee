package dev.hearth.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.hearth.api.ChatMessage;
import dev.hearth.llama.ffi.Layouts;
import dev.hearth.llama.ffi.LlamaC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Renders chat messages through {@code llama_chat_apply_template}. */
final class ChatTemplates {
    /** llama.cpp's fallback for models without a template. */
    static final String FALLBACK = "chatml";

    private ChatTemplates() {
    }

    static String apply(LlamaModel model, List<ChatMessage> messages, boolean addAssistant) throws Throwable {
        String template = LlamaC.string((MemorySegment) LlamaC.llama_model_chat_template.invokeExact(
                model.handle(), MemorySegment.NULL));
        try (Arena a = Arena.ofConfined()) {
            long size = Layouts.LLAMA_CHAT_MESSAGE.byteSize();
            MemorySegment chat = a.allocate(Layouts.LLAMA_CHAT_MESSAGE, Math.max(1, messages.size()));
            long chars = 0;
            for (int i = 0; i < messages.size(); i++) {
                ChatMessage m = messages.get(i);
                chat.set(ADDRESS, i * size + Layouts.offset(Layouts.LLAMA_CHAT_MESSAGE, "role"),
                        a.allocateFrom(m.role().wireName()));
                chat.set(ADDRESS, i * size + Layouts.offset(Layouts.LLAMA_CHAT_MESSAGE, "content"),
                        a.allocateFrom(m.content()));
                chars += m.content().length() * 3L + 64;
            }
            MemorySegment tmpl = a.allocateFrom(template != null ? template : FALLBACK);
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024, chars * 2));
            for (int attempt = 0; attempt < 2; attempt++) {
                MemorySegment buf = a.allocate(capacity);
                int n = (int) LlamaC.llama_chat_apply_template.invokeExact(tmpl, chat, (long) messages.size(),
                        addAssistant, buf, capacity);
                if (n < 0) {
                    throw new LlamaException("llama.cpp's built-in renderer does not know this model's chat template;"
                            + " render the prompt yourself and call generate() with it");
                }
                if (n <= capacity) {
                    return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
                capacity = n;
            }
            throw new LlamaException("llama_chat_apply_template kept asking for a larger buffer");
        }
    }
}
