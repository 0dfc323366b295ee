/**
 * Remote vendors as {@link dev.hearth.api.ChatBackend}s: Anthropic's Messages API and the OpenAI chat-completions
 * format (DeepSeek, OpenAI, vLLM, llama-server, Ollama, another Hearth), over the JDK HttpClient.
 */
module dev.hearth.remote {
    requires transitive dev.hearth.api;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;
    requires org.slf4j;

    exports dev.hearth.remote;
    exports dev.hearth.remote.anthropic;
    exports dev.hearth.remote.openai;

    provides dev.hearth.api.spi.BackendProvider with dev.hearth.remote.RemoteBackend;

    opens dev.hearth.remote to com.fasterxml.jackson.databind;
    opens dev.hearth.remote.anthropic to com.fasterxml.jackson.databind;
    opens dev.hearth.remote.openai to com.fasterxml.jackson.databind;
}
