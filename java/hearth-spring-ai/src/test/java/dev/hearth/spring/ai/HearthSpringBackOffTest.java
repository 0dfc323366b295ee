package dev.hearth.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.runtime.Hearth;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration gives way to the application's own beans. */
class HearthSpringBackOffTest {
    @Configuration(proxyBeanMethods = false)
    static class OwnChatModel {
        @Bean
        ChatModel ownChatModel() {
            return prompt -> new ChatResponse(List.of(new Generation(new AssistantMessage("mine"))));
        }
    }

    @Test
    void anApplicationsOwnChatModelReplacesHearthsWhileTheRuntimeIsStillThere(@TempDir Path dir) throws Exception {
        try (ConfigurableApplicationContext context = TestApplication.start(dir,
                new Class<?>[] {TestApplication.class, OwnChatModel.class})) {
            assertThat(context.getBean(ChatModel.class).call("hi")).isEqualTo("mine");
            assertThat(context.getBeansOfType(HearthChatModel.class)).isEmpty();
            assertThat(context.getBeansOfType(Hearth.class)).hasSize(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PropertiesAreIgnoredByAnOwnHearth {
        @Bean
        Hearth ownHearth() {
            return Hearth.fromEnvironment(java.util.Map.of("HEARTH_LEDGER_PATH",
                    System.getProperty("java.io.tmpdir") + "/hearth-spring-own-" + ProcessHandle.current().pid()
                            + ".db", "LLM_STRATEGY", "remote_only"));
        }
    }

    @Test
    void anApplicationsOwnHearthIsTheOneTheModelsUse(@TempDir Path dir) throws Exception {
        try (ConfigurableApplicationContext context = TestApplication.start(dir,
                new Class<?>[] {TestApplication.class, PropertiesAreIgnoredByAnOwnHearth.class})) {
            assertThat(context.getBeansOfType(Hearth.class)).containsOnlyKeys("ownHearth");
            assertThat(context.getBean(Hearth.class).configuration()).containsEntry("LLM_STRATEGY", "remote_only");
            assertThat(context.getBean(ChatModel.class)).isInstanceOf(HearthChatModel.class);
        }
    }
}
