package dev.hearth.spring.ai.autoconfigure;

import dev.hearth.runtime.Hearth;
import dev.hearth.spring.ai.HearthChatModel;
import dev.hearth.spring.ai.HearthChatOptions;
import dev.hearth.spring.ai.HearthEmbeddingModel;
import java.util.List;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One {@link Hearth} for the application, built from {@code hearth.*} ({@link HearthProperties}) over the process
 * environment and closed with the context (its loaded models' native memory with it), with Spring AI's
 * {@link ChatModel} and {@link EmbeddingModel} over it; actuator's health and Micrometer's meters where the
 * application has them. Each bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass({Hearth.class, ChatModel.class})
@EnableConfigurationProperties(HearthProperties.class)
public class HearthAutoConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Hearth hearth(HearthProperties properties) {
        return Hearth.fromEnvironment(properties.environment(System.getenv()));
    }

    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    public HearthChatModel hearthChatModel(Hearth hearth, HearthProperties properties,
            ObjectProvider<HearthChatModel.Listener> listeners) {
        HearthProperties.Chat chat = properties.chat();
        HearthChatOptions defaults = HearthChatOptions.builder().model(chat.model()).maxTokens(chat.maxTokens())
                .temperature(chat.temperature()).toolChoice(chat.toolChoice()).build();
        List<HearthChatModel.Listener> all = listeners.orderedStream().toList();
        return new HearthChatModel(hearth, defaults, (answer, took) -> all.forEach(l -> l.answered(answer, took)));
    }

    @Bean
    @ConditionalOnMissingBean(EmbeddingModel.class)
    public HearthEmbeddingModel hearthEmbeddingModel(Hearth hearth) {
        return new HearthEmbeddingModel(hearth);
    }

    /** Actuator's health, where the application has spring-boot-health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "hearthHealthIndicator")
        HearthHealthIndicator hearthHealthIndicator(Hearth hearth) {
            return new HearthHealthIndicator(hearth);
        }
    }

    /** Micrometer's meters, where the application has micrometer-core. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        HearthMeters hearthMeters(Hearth hearth) {
            return new HearthMeters(hearth);
        }
    }
}
