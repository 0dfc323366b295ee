package dev.hearth.server.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.Thinking;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.server.openai.BadRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Responses API bodies read into the one chat request, without sockets; every refusal names its field. */
class ResponsesRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ResponsesRequest read(String body) throws Exception {
        return ResponsesRequest.read(JSON.readTree(body.replace('\'', '"')));
    }

    @Test
    void aStringInputIsOneUserMessageAfterTheInstructions() throws Exception {
        var call = read("{'model':'tiny','input':'Hi','instructions':'Be brief.','max_output_tokens':9,"
                + "'temperature':0.5,'top_p':0.9,'store':false,'stream':true}");
        assertThat(call.request().messages()).containsExactly(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));
        assertThat(call.request().maxTokens()).isEqualTo(9);
        assertThat(call.request().temperature()).isEqualTo(0.5);
        assertThat(call.request().topP()).isEqualTo(0.9);
        assertThat(call.stream()).isTrue();
        assertThat(call.echo().get("instructions").asText()).isEqualTo("Be brief.");
        assertThat(call.echo().get("store").asBoolean()).as("Hearth keeps nothing, and says so").isFalse();
        assertThat(call.echo().at("/text/format/type").asText()).isEqualTo("text");
    }

    @Test
    void itemsBecomeTurnsWithFunctionCallsJoinedToTheAssistantTurnTheyFollow() throws Exception {
        var r = read("""
                {'model':'tiny','input':[
                  {'role':'developer','content':'Use tools.'},
                  {'type':'message','role':'user','content':[{'type':'input_text','text':'Weather in '},
                                                             {'type':'input_text','text':'Oslo?'}]},
                  {'type':'reasoning','id':'rs_1','summary':[],'content':[{'type':'reasoning_text','text':'look it up'}]},
                  {'type':'message','role':'assistant','id':'msg_1','status':'completed',
                   'content':[{'type':'output_text','text':'Checking.','annotations':[]}]},
                  {'type':'function_call','id':'fc_1','call_id':'c1','name':'weather','arguments':'{}','status':'completed'},
                  {'type':'function_call','call_id':'c2','name':'time','arguments':'{}'},
                  {'type':'function_call_output','call_id':'c1','output':'sunny'},
                  {'type':'function_call_output','call_id':'c2','output':[{'type':'input_text','text':'noon'}]},
                  {'role':'system','content':'Answer now.'}]}""").request();
        assertThat(r.messages()).extracting(ChatMessage::role)
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.SYSTEM);
        assertThat(r.messages().get(1).content()).isEqualTo("Weather in Oslo?");
        ChatMessage assistant = r.messages().get(2);
        assertThat(assistant.content()).isEqualTo("Checking.");
        assertThat(assistant.reasoning()).isEqualTo("look it up");
        assertThat(assistant.toolCalls()).containsExactly(new ToolCall("c1", "weather", "{}"),
                new ToolCall("c2", "time", "{}"));
        assertThat(r.messages().get(3)).isEqualTo(ChatMessage.tool("c1", "sunny"));
        assertThat(r.messages().get(4)).isEqualTo(ChatMessage.tool("c2", "noon"));
    }

    @Test
    void aFunctionCallWithoutAMessageBeforeItIsAnAssistantTurnOfItsOwn() throws Exception {
        var r = read("{'model':'m','input':[{'role':'user','content':'x'},{'type':'function_call','call_id':'a',"
                + "'name':'f','arguments':'{}'},{'type':'function_call_output','call_id':'a','output':'ok'},"
                + "{'role':'assistant','content':'done'}]}").request();
        assertThat(r.messages()).extracting(ChatMessage::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT);
        assertThat(r.messages().get(1).content()).isEmpty();
        assertThat(r.messages().get(3).toolCalls()).isEmpty();
    }

    @Test
    void flatFunctionToolsChoicesFormatsAndReasoningEffort() throws Exception {
        var call = read("""
                {'model':'m','input':'x','tools':[{'type':'function','name':'weather','description':'forecast',
                  'parameters':{'type':'object'},'strict':true}],'tool_choice':{'type':'function','name':'weather'},
                 'text':{'format':{'type':'json_schema','name':'city','schema':{'type':'object'},'strict':true}},
                 'reasoning':{'effort':'none'}}""");
        var r = call.request();
        assertThat(r.tools()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("weather");
            assertThat(t.description()).isEqualTo("forecast");
            assertThat(t.parameters()).isEqualTo("{\"type\":\"object\"}");
        });
        assertThat(r.toolChoice()).isEqualTo(ToolChoice.named("weather"));
        assertThat(r.responseFormat()).isEqualTo(ResponseFormat.jsonSchema("city", "{\"type\":\"object\"}", true));
        assertThat(r.thinking()).isEqualTo(Thinking.OFF);
        assertThat(call.echo().at("/tools/0/name").asText()).isEqualTo("weather");
        assertThat(call.echo().at("/tool_choice/name").asText()).isEqualTo("weather");
        assertThat(read("{'model':'m','input':'x','text':{'format':{'type':'json_object'}},'tool_choice':'none'}")
                .request()).satisfies(q -> {
                    assertThat(q.responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
                    assertThat(q.toolChoice()).isEqualTo(ToolChoice.NONE);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",'store':false", ",'store':null", ",'truncation':'disabled'", ",'include':[]",
            ",'parallel_tool_calls':false,'metadata':{'a':'b'},'user':'u'"})
    void whatSdksSendByDefaultIsRead(String extra) {
        assertThatCode(() -> read("{'model':'m','input':'x'" + extra + "}")).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            'previous_response_id':'resp_1'                     | previous_response_id | send the whole conversation
            'store':true                                        | store                | leave store out or send false
            'background':true                                   | background           | stream it
            'input':[]                                          | input                | array of 1 to
            'input':[{'role':'tool','content':'x'}]             | input[0].role        | user, system, developer or assistant
            'input':[{'type':'image_generation_call'}]          | input[0].type        | reads message, function_call
            'input':[{'role':'user','content':[{'type':'input_image','image_url':'x'}]}] | input[0].content[0].type | text parts only
            'input':[{'type':'function_call','name':'f','arguments':'{}'}] | input[0].call_id | is required
            'tools':[{'type':'web_search'}]                     | tools[0].type        | no hosted tools
            'tools':[{'type':'function','function':{'name':'f'}}] | tools[0].function   | unknown field
            'tool_choice':{'type':'function','name':'g'}        | tool_choice.name     | not among the tools
            'tool_choice':'required'                            | tool_choice          | no tools were given
            'text':{'format':{'type':'json_schema','schema':{}}} | text.format.name    | is required
            'text':{'format':{'type':'yaml'}}                   | text.format.type     | text, json_object or json_schema
            'text':{'verbosity':'low'}                          | text.verbosity       | cannot steer
            'max_output_tokens':0                               | max_output_tokens    | from 1 to
            'temperature':3                                     | temperature          | between 0 (greedy) and 2
            'truncation':'auto'                                 | truncation           | never drops
            'reasoning':{'effort':'extreme'}                    | reasoning.effort     | none, minimal
            'messages':[]                                       | messages             | unknown field messages
            """)
    void refusesWhatItCannotHonourNamingTheField(String field, String param, String message) {
        String body = "{'model':'m','input':'x'," + field + "}";
        if (field.startsWith("'input'")) {
            body = "{'model':'m'," + field + "}";
        }
        String sent = body;
        assertThatThrownBy(() -> read(sent)).isInstanceOfSatisfying(BadRequest.class, e -> {
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.status()).isEqualTo(400);
        }).hasMessageContaining(message);
    }
}
