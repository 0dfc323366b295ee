package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.api.spi.Tokenizer;
import dev.hearth.runtime.Hearth;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth tokenize --model FILE TEXT: a model's token ids and pieces, its weights never loaded. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the tokens of a text (ids and pieces) with a local model's tokenizer; the weights are not"
                + " loaded, so a vocabulary-only GGUF works too. No BOS/EOS is added unless --add-special.")
final class TokenizeCommand implements Callable<Integer>, TakesEnvironment {
    private java.util.Map<String, String> env = java.util.Map.of();

    @Override
    public void environment(java.util.Map<String, String> env) {
        this.env = env;
    }

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "SPEC",
            description = "a local model: a GGUF file or a cached model's name")
    String model;

    @Option(names = "--count", description = "print only the number of tokens")
    boolean count;

    @Option(names = "--json", description = "print {\"ids\": [...], \"pieces\": [...]}")
    boolean json;

    @Option(names = "--add-special", description = "add the BOS/EOS tokens the model's tokenizer adds to a prompt")
    boolean addSpecial;

    @Option(names = "--chat", description = "count TEXT as a user's message with the model's chat template applied"
            + " (what a chat request's prompt costs); prints the count")
    boolean chat;

    @Parameters(arity = "1", paramLabel = "TEXT")
    String text;

    @Override
    public Integer call() throws Exception {
        try (Hearth hearth = Hearth.fromEnvironment(env); Tokenizer tokenizer = hearth.tokenizer(model)) {
            if (chat) {
                int n = tokenizer.countChat(dev.hearth.api.ChatRequest.of(model,
                        java.util.List.of(dev.hearth.api.ChatMessage.user(text))));
                System.out.println(json ? "{\"count\": " + n + "}" : String.valueOf(n));
                return 0;
            }
            int[] ids = tokenizer.tokenize(text, addSpecial);
            if (count) {
                System.out.println(json ? "{\"count\": " + ids.length + "}" : String.valueOf(ids.length));
            } else if (json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode out = m.createObjectNode();
                ArrayNode idArray = out.putArray("ids");
                ArrayNode pieces = out.putArray("pieces");
                for (int id : ids) {
                    idArray.add(id);
                    pieces.add(tokenizer.piece(id));
                }
                System.out.println(m.writeValueAsString(out));
            } else {
                ObjectMapper m = new ObjectMapper(); // pieces quoted as JSON strings: spaces and newlines stay visible
                for (int id : ids) {
                    System.out.printf("%6d %s%n", id, m.writeValueAsString(tokenizer.piece(id)));
                }
            }
        }
        return 0;
    }
}
