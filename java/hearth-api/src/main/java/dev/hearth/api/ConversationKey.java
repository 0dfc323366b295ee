package dev.hearth.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The one rule that names a conversation by its opening: a hash of its messages up to and including the first user
 * message (the system prompt and the first question). Every later turn of the conversation starts with the same
 * messages, so it has the same key; a gateway sends the turns of one key to the same inference server (whose prefix
 * cache holds that opening), and a Hearth worker reports the keys its engine slots hold. Stateless.
 */
public final class ConversationKey {
    private ConversationKey() {
    }

    /** The key of {@code messages}: 16 hex digits of SHA-256 over each opening message's role and text. */
    public static String of(List<ChatMessage> messages) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        for (ChatMessage m : messages) {
            byte[] text = m.content().getBytes(StandardCharsets.UTF_8);
            sha.update(m.role().wireName().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            sha.update(Integer.toString(text.length).getBytes(StandardCharsets.US_ASCII)); // no two splits hash alike
            sha.update((byte) 0);
            sha.update(text);
            if (m.role() == Role.USER) {
                break;
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }
}
