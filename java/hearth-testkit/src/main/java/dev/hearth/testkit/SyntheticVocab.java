package dev.hearth.testkit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A SentencePiece-style vocabulary with byte fallback: {@code <unk>}, {@code <s>}, {@code </s>}, the 256
 * {@code <0xHH>} byte tokens, the ChatML control tokens, then pieces (single characters, common English words
 * with the U+2581 word marker, and generated filler pieces) up to the requested size. Scores rank longer
 * pieces first so that the tokenizer merges whole words.
 */
public record SyntheticVocab(List<String> tokens, float[] scores, int[] types) {
    public static final int UNK = 0, BOS = 1, EOS = 2;
    static final int TYPE_NORMAL = 1, TYPE_UNKNOWN = 2, TYPE_CONTROL = 3, TYPE_BYTE = 6;
    private static final String SPACE = "\u2581";
    private static final String[] WORDS = ("the of and to in is you that it he was for on are as with his they at be"
            + " this have from or one had by word but not what all were we when your can said there use an each which"
            + " she do how their if will up other about out many then them these so some her would make like him into"
            + " time has look two more write go see number no way could people my than first water been call who oil"
            + " its now find long down day did get come made may part hello world model token story once upon a"
            + " Hearth llama java code local").split(" ");

    public static SyntheticVocab of(int size) {
        return of(size, List.of());
    }

    /** A vocabulary with extra control tokens (a chat format's markers, e.g. {@code <tool_call>}). */
    public static SyntheticVocab of(int size, List<String> controlTokens) {
        if (size < 300 + controlTokens.size()) {
            throw new IllegalArgumentException("a vocabulary needs at least 300 tokens (specials and 256 bytes), not " + size);
        }
        List<String> tokens = new ArrayList<>(size);
        List<Integer> types = new ArrayList<>(size);
        tokens.add("<unk>");
        types.add(TYPE_UNKNOWN);
        tokens.add("<s>");
        types.add(TYPE_CONTROL);
        tokens.add("</s>");
        types.add(TYPE_CONTROL);
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(TYPE_BYTE);
        }
        tokens.add("<|im_start|>");
        types.add(TYPE_CONTROL);
        tokens.add("<|im_end|>");
        types.add(TYPE_CONTROL);
        for (String control : controlTokens) {
            if (!tokens.contains(control)) {
                tokens.add(control);
                types.add(TYPE_CONTROL);
            }
        }
        Set<String> pieces = new LinkedHashSet<>();
        pieces.add(SPACE);
        for (char c = 0x21; c < 0x7f; c++) {
            pieces.add(String.valueOf(c));
        }
        for (String w : WORDS) { // every prefix too, so that SentencePiece merges can reach the whole word
            for (int k = 1; k <= w.length(); k++) {
                pieces.add(SPACE + w.substring(0, k));
            }
        }
        for (char c = 'a'; c <= 'z'; c++) {
            pieces.add(SPACE + c);
            for (char d = 'a'; d <= 'z' && pieces.size() < size; d++) {
                pieces.add("" + c + d);
            }
        }
        for (int i = 0; tokens.size() + pieces.size() < size; i++) {
            pieces.add(SPACE + "w" + Integer.toString(i, 36));
        }
        Set<String> taken = new java.util.HashSet<>(tokens);
        for (String p : pieces) {
            if (tokens.size() == size) {
                break;
            }
            if (taken.add(p)) { // token texts must be unique
                tokens.add(p);
                types.add(TYPE_NORMAL);
            }
        }
        for (int i = 0; tokens.size() < size; i++) {
            String filler = SPACE + "x" + Integer.toString(i, 36);
            if (taken.add(filler)) {
                tokens.add(filler);
                types.add(TYPE_NORMAL);
            }
        }
        float[] scores = new float[size];
        int[] typeArray = new int[size];
        for (int i = 0; i < size; i++) {
            typeArray[i] = types.get(i);
            // longer pieces merge first; ties broken by position
            scores[i] = typeArray[i] == TYPE_NORMAL ? tokens.get(i).length() * 10f - i * 1e-4f : 0f;
        }
        return new SyntheticVocab(List.copyOf(tokens), scores, typeArray);
    }

    public int size() {
        return tokens.size();
    }
}
