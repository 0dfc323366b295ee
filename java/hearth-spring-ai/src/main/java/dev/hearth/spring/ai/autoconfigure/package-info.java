/**
 * The Spring Boot auto-configuration: one Hearth from {@code hearth.*} properties, closed with the context, and the
 * Spring AI models, health indicator and meters over it. Beans are created once by Spring; all are thread-safe.
 */
package dev.hearth.spring.ai.autoconfigure;
