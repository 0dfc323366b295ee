package dev.hearth.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenAI request bodies read into the one chat request, without sockets; every refusal names its field. */
class ChatCompletionRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChatCompletionRequest read(String body) throws Exception {
        return ChatCompletionRequest.read(JSON.readTree(body.replace('\'', '"')));
    }

    @Test
    void readsEveryRoleTextPartsToolCallsAndSamplingParameters() throws Exception {
        var call = read("""
                {'model': 'auto', 'messages': [
                   {'role': 'developer', 'content': 'Be brief.'},
                   {'role': 'user', 'content': [{'type': 'text', 'text': 'Weather in '}, {'type': 'text', 'text': 'Oslo?'}]},
                   {'role': 'assistant', 'content': null, 'tool_calls': [{'id': 'c1', 'type': 'function',
                       'function': {'name': 'weather', 'arguments': '{\\'city\\':\\'Oslo\\'}'}}]},
                   {'role': 'tool', 'tool_call_id': 'c1', 'content': 'sunny'}],
                 'tools': [{'type': 'function', 'function': {'name': 'weather', 'parameters': {'type': 'object'}}}],
                 'tool_choice': {'type': 'function', 'function': {'name': 'weather'}},
                 'max_completion_tokens': 42, 'temperature': 0, 'top_p': 0.5, 'seed': 7, 'stop': 'END',
                 'stream': true, 'stream_options': {'include_usage': true}}""");
        var r = call.request();
        assertThat(r.model()).isEqualTo("auto");
        assertThat(r.messages()).extracting(ChatMessage::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL);
        assertThat(r.messages().get(1).content()).isEqualTo("Weather in Oslo?");
        assertThat(r.messages().get(2).toolCalls()).containsExactly(new ToolCall("c1", "weather", "{\"city\":\"Oslo\"}"));
        assertThat(r.messages().get(3).toolCallId()).isEqualTo("c1");
        assertThat(r.tools()).singleElement().satisfies(t -> assertThat(t.parameters()).isEqualTo("{\"type\":\"object\"}"));
        assertThat(r.toolChoice()).isEqualTo(ToolChoice.named("weather"));
        assertThat(r.maxTokens()).isEqualTo(42);
        assertThat(r.temperature()).isZero();
        assertThat(r.topP()).isEqualTo(0.5);
        assertThat(r.stop()).containsExactly("END");
        assertThat(r.seed()).isEqualTo(7L);
        assertThat(call.stream()).isTrue();
        assertThat(call.includeUsage()).isTrue();
    }

    @Test
    void readsResponseFormats() throws Exception {
        assertThat(read("{'model':'m','messages':[{'role':'user','content':'x'}],'response_format':{'type':'json_object'}}")
                .request().responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
        var schema = read("""
                {'model':'m','messages':[{'role':'user','content':'x'}],'response_format':{'type':'json_schema',
                 'json_schema':{'name':'city','strict':true,'schema':{'type':'object','properties':{'name':{'type':'string'}}}}}}""")
                .request().responseFormat();
        assertThat(schema).isEqualTo(ResponseFormat.jsonSchema("city",
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}", true));
    }

    @Test
    void maxTokensAndMaxCompletionTokensAreOneLimit() throws Exception {
        assertThat(read("{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':9}").request().maxTokens())
                .isEqualTo(9);
        assertThatThrownBy(() -> read("{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':9,"
                + "'max_completion_tokens':10}")).isInstanceOf(BadRequest.class).hasMessageContaining("disagree");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            'temperature':3                                     | temperature | between 0 (greedy) and 2
            'temperature':'hot'                                 | temperature | must be a number, not a string
            'top_p':0                                           | top_p       | above 0 and at most 1
            'max_tokens':0                                      | max_tokens  | from 1 to
            'max_tokens':1.5                                    | max_tokens  | an integer
            'max_completion_tokens':99999999999                 | max_completion_tokens | from 1 to
            'n':2                                               | n           | n must be 1
            'logprobs':true                                     | logprobs    | not supported
            'top_logprobs':2                                    | top_logprobs | not supported
            'presence_penalty':0.5                              | presence_penalty | leave it out or send 0
            'store':true                                        | store       | keeps no answers
            'audio':{'voice':'alloy','format':'mp3'}            | audio       | text only
            'modalities':['text','audio']                       | modalities  | text only
            'seed':1.5                                          | seed        | an integer
            'stream_options':{'include_usage':true}             | stream_options | only allowed with
            'stop':[1]                                          | stop[0]     | non-empty string
            'tool_choice':'sometimes'                           | tool_choice | auto, none, required
            'tool_choice':'required'                            | tool_choice | no tools were given
            'response_format':{'type':'yaml'}                   | response_format.type | text, json_object or json_schema
            'response_format':{'type':'json_schema'}            | response_format.json_schema | is required
            'response_format':{'type':'json_object','schema':{}} | response_format.schema | unknown field
            'tools':[{'type':'function','function':{'name':'a b'}}] | tools[0].function.name | letters, digits
            'temprature':1                                      | temprature  | unknown field temprature
            """)
    void refusesBadFieldsNamingThem(String field, String param, String message) {
        String body = "{'model':'m','messages':[{'role':'user','content':'x'}]," + field + "}";
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(BadRequest.class, e -> {
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.status()).isEqualTo(400);
        }).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {'messages':[{'role':'user','content':'x'}]}                 | model                | model is required
            {'model':'','messages':[{'role':'user','content':'x'}]}      | model                | model is empty
            {'model':'m'}                                                | messages             | messages is required
            {'model':'m','messages':[]}                                  | messages             | messages is required
            {'model':'m','messages':['hi']}                              | messages[0]          | must be a JSON object
            {'model':'m','messages':[{'role':'robot','content':'x'}]}    | messages[0].role     | system, developer, user
            {'model':'m','messages':[{'role':'user'}]}                   | messages[0].content  | is required
            {'model':'m','messages':[{'role':'user','content':7}]}       | messages[0].content  | a string or an array
            {'model':'m','messages':[{'role':'tool','content':'x'}]}     | messages[0].tool_call_id | is required
            {'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{}}]}]} | messages[0].content[0].type | text parts only
            """)
    void refusesBadMessagesNamingThem(String body, String param, String message) {
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(BadRequest.class,
                e -> assertThat(e.param()).isEqualTo(param)).hasMessageContaining(message);
    }

    @Test
    void anAssistantsReasoningContentSentBackIsKeptAsItsReasoning() throws Exception {
        var r = read("{'model':'m','messages':[{'role':'user','content':'x'},{'role':'assistant','content':'y',"
                + "'reasoning_content':'because'},{'role':'user','content':'z'}]}");
        assertThat(r.request().messages().get(1).reasoning()).isEqualTo("because");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() throws Exception {
        JsonNode array = JSON.readTree("[1]");
        assertThatThrownBy(() -> ChatCompletionRequest.read(array)).isInstanceOf(BadRequest.class)
                .hasMessageContaining("the request body must be a JSON object, not an array");
    }

    @Test
    void anAssistantMessageWithToolCallsNeedsNoContent() throws Exception {
        var r = read("{'model':'m','messages':[{'role':'assistant','tool_calls':[{'id':'a','type':'function',"
                + "'function':{'name':'f','arguments':'{}'}}]},{'role':'tool','tool_call_id':'a','content':'ok'}]}");
        assertThat(r.request().messages().getFirst().content()).isEmpty();
        assertThat(List.of(r.stream(), r.includeUsage())).containsExactly(false, false);
    }
}
