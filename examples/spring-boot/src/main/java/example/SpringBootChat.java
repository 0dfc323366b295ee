package example;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A Boot application with the Hearth starter: Spring AI's ChatClient over Hearth, one question, then it exits. */
@SpringBootApplication
public class SpringBootChat {
    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(SpringBootChat.class, args)));
    }

    @Bean
    CommandLineRunner ask(ChatModel model) {
        return args -> {
            var response = ChatClient.create(model).prompt().user("Tell me a very short story.").call().chatResponse();
            System.out.println(response.getResult().getOutput().getText());
            System.out.println("-- " + response.getMetadata().getModel() + ", "
                    + response.getMetadata().get("hearth.route"));
        };
    }
}
