package dev.hearth.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.Role;
import dev.hearth.api.Thinking;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.server.openai.BadRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Anthropic Messages bodies read into the one chat request, without sockets. */
class MessagesRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MessagesRequest read(String body) throws Exception {
        return MessagesRequest.read(JSON.readTree(body.replace('\'', '"')));
    }

    @Test
    void readsSystemBlocksToolUseToolResultsThinkingAndChoices() throws Exception {
        var call = read("""
                {'model':'auto','max_tokens':64,'system':[{'type':'text','text':'Be '},{'type':'text','text':'brief.'}],
                 'messages':[{'role':'user','content':'Weather in Oslo?'},
                   {'role':'assistant','content':[{'type':'thinking','thinking':'look it up','signature':'sig'},
                      {'type':'tool_use','id':'tu1','name':'weather','input':{'city':'Oslo'}}]},
                   {'role':'user','content':[{'type':'tool_result','tool_use_id':'tu1','content':[{'type':'text','text':'sunny'}]},
                      {'type':'text','text':'And tomorrow?'}]}],
                 'tools':[{'name':'weather','input_schema':{'type':'object'}}],'tool_choice':{'type':'any'},
                 'thinking':{'type':'enabled','budget_tokens':1024},'stop_sequences':['END'],'temperature':0.5,
                 'stream':true}""");
        var r = call.request();
        assertThat(call.stream()).isTrue();
        assertThat(r.maxTokens()).isEqualTo(64);
        assertThat(r.messages()).extracting(ChatMessage::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.USER);
        assertThat(r.messages().getFirst().content()).isEqualTo("Be brief.");
        ChatMessage assistant = r.messages().get(2);
        assertThat(assistant.reasoning()).isEqualTo("look it up");
        assertThat(assistant.reasoningSignature()).isEqualTo("sig");
        assertThat(assistant.toolCalls()).containsExactly(new ToolCall("tu1", "weather", "{\"city\":\"Oslo\"}"));
        assertThat(r.messages().get(3)).isEqualTo(ChatMessage.tool("tu1", "sunny"));
        assertThat(r.messages().get(4).content()).isEqualTo("And tomorrow?");
        assertThat(r.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThat(r.thinking()).isEqualTo(Thinking.on(1024));
        assertThat(r.stop()).containsExactly("END");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {'model':'m','messages':[{'role':'user','content':'x'}]}                          | max_tokens  | max_tokens is required
            {'model':'m','max_tokens':0,'messages':[{'role':'user','content':'x'}]}           | max_tokens  | from 1 to
            {'model':'m','max_tokens':5,'messages':[{'role':'system','content':'x'}]}         | messages[0].role | user or assistant
            {'model':'m','max_tokens':5,'temperature':1.5,'messages':[{'role':'user','content':'x'}]} | temperature | between 0 and 1
            {'model':'m','max_tokens':5,'messages':[{'role':'user','content':[{'type':'image'}]}]} | messages[0].content[0].type | no images
            {'model':'m','max_tokens':5,'messages':[{'role':'user','content':[{'type':'tool_use','id':'a','name':'b'}]}]} | messages[0].content[0].type | assistant message
            {'model':'m','max_tokens':5,'top_k':5,'messages':[{'role':'user','content':'x'}]} | top_k       | not supported
            """)
    void refusesBadFieldsNamingThem(String body, String param, String message) {
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(BadRequest.class,
                e -> assertThat(e.param()).isEqualTo(param)).hasMessageContaining(message);
    }

    @Test
    void aCountNeedsNoMaxTokensAndAnOutputFormatIsASchema() throws Exception {
        var counted = MessagesRequest.forCounting(JSON.readTree("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":"
                + "{\"type\":\"object\"}}}}"));
        assertThat(counted.request().responseFormat()).isEqualTo(dev.hearth.api.ResponseFormat.jsonSchema("response",
                "{\"type\":\"object\"}", true));
        assertThatThrownBy(() -> read("{'model':'auto','messages':[{'role':'user','content':'hi'}]}"))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.param()).isEqualTo("max_tokens"));
        assertThatThrownBy(() -> read("{'model':'auto','max_tokens':5,'messages':[{'role':'user','content':'hi'}],"
                + "'output_config':{'format':{'type':'regex'}}}"))
                .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.param())
                        .isEqualTo("output_config.format.type"));
    }
}
