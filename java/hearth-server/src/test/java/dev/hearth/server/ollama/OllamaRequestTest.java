package dev.hearth.server.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ResponseFormat;
import dev.hearth.api.Role;
import dev.hearth.api.Thinking;
import dev.hearth.api.ToolCall;
import dev.hearth.server.openai.BadRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ollama chat and generate bodies read into the one chat request, without sockets. */
class OllamaRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OllamaRequest chat(String body) throws Exception {
        return OllamaRequest.chat(JSON.readTree(body.replace('\'', '"')));
    }

    private static OllamaRequest generate(String body) throws Exception {
        return OllamaRequest.generate(JSON.readTree(body.replace('\'', '"')));
    }

    @Test
    void streamsUnlessToldNotToAndDropsTheLatestTag() throws Exception {
        OllamaRequest call = chat("{'model':'tiny:latest','messages':[{'role':'user','content':'hi'}]}");
        assertThat(call.stream()).isTrue();
        assertThat(call.request().model()).isEqualTo("tiny");
        assertThat(call.keepAlive()).isEqualTo(KeepAlive.HOST_DEFAULT);
        assertThat(chat("{'model':'tiny','stream':false,'messages':[{'role':'user','content':'hi'}]}").stream())
                .isFalse();
    }

    @Test
    void optionsFormatAndThinkBecomeTheRequestsAndUnappliedOptionsAreNamed() throws Exception {
        var call = chat("""
                {'model':'m','messages':[{'role':'user','content':'hi'}],'think':false,
                 'format':{'type':'object','properties':{'a':{'type':'string'}}},
                 'options':{'temperature':0.3,'top_p':0.9,'num_predict':42,'stop':['END'],'seed':7,'num_ctx':4096,
                   'top_k':20}}""");
        var r = call.request();
        assertThat(r.temperature()).isEqualTo(0.3);
        assertThat(r.topP()).isEqualTo(0.9);
        assertThat(r.maxTokens()).isEqualTo(42);
        assertThat(r.stop()).containsExactly("END");
        assertThat(r.thinking()).isEqualTo(Thinking.OFF);
        assertThat(r.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                s -> assertThat(s.schema()).contains("\"a\""));
        assertThat(call.ignored()).containsExactlyInAnyOrder("num_ctx", "top_k");

        var json = chat("{'model':'m','messages':[{'role':'user','content':'hi'}],'format':'json','think':'high',"
                + "'options':{'num_predict':-1}}").request();
        assertThat(json.responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
        assertThat(json.thinking()).isEqualTo(Thinking.ON_DEFAULT);
        assertThat(json.maxTokens()).as("the default").isEqualTo(
                dev.hearth.api.ChatRequest.of("m", List.of(ChatMessage.user("x"))).maxTokens());
    }

    @Test
    void toolCallsGetIdsAndEachResultAnswersTheEarliestUnansweredCallOfItsTool() throws Exception {
        var r = chat("""
                {'model':'m','messages':[{'role':'user','content':'Weather and time in Oslo?'},
                  {'role':'assistant','content':'','tool_calls':[
                     {'function':{'name':'weather','arguments':{'city':'Oslo'}}},
                     {'function':{'name':'time','arguments':{'zone':'CET'}}}]},
                  {'role':'tool','tool_name':'time','content':'12:00'},
                  {'role':'tool','content':'sunny'}],
                 'tools':[{'type':'function','function':{'name':'weather','parameters':{'type':'object'}}},
                          {'type':'function','function':{'name':'time','parameters':{'type':'object'}}}]}""")
                .request();
        assertThat(r.tools()).hasSize(2);
        assertThat(r.messages().get(1).toolCalls()).containsExactly(
                new ToolCall("call_1_0", "weather", "{\"city\":\"Oslo\"}"),
                new ToolCall("call_1_1", "time", "{\"zone\":\"CET\"}"));
        assertThat(r.messages().get(2)).extracting(ChatMessage::role, ChatMessage::toolCallId, ChatMessage::content)
                .containsExactly(Role.TOOL, "call_1_1", "12:00");
        assertThat(r.messages().get(3).toolCallId()).as("no name: the earliest unanswered").isEqualTo("call_1_0");
    }

    @Test
    void aCallsOwnIdIsKept() throws Exception {
        var r = chat("{'model':'m','messages':[{'role':'assistant','content':'','tool_calls':[{'id':'t1','function':"
                + "{'name':'f','arguments':{}}}]},{'role':'tool','tool_name':'f','content':'ok'}]}").request();
        assertThat(r.messages().get(1).toolCallId()).isEqualTo("t1");
    }

    @Test
    void generateIsTheSystemPromptThenThePromptAndAnEmptyPromptIsALoad() throws Exception {
        var call = generate("{'model':'m','system':'Be brief.','prompt':'Say hi.','stream':false}");
        assertThat(call.request().messages()).containsExactly(ChatMessage.system("Be brief."),
                ChatMessage.user("Say hi."));
        assertThat(call.load()).isFalse();
        assertThat(generate("{'model':'m'}").load()).isTrue();
        assertThat(chat("{'model':'m','messages':[]}").load()).isTrue();
        assertThat(chat("{'model':'m','keep_alive':0}").keepAlive().unloads()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{'model':'m','messages':'hi'}|messages|messages must be an array, not a string",
        "{'model':'m','messages':[{'role':'robot','content':'x'}]}|messages[0].role|must be system, user, assistant or tool",
        "{'model':'m','messages':[{'role':'user'}]}|messages[0].content|messages[0].content is required",
        "{'model':'m','messages':[{'role':'user','content':'x','images':['aGk=']}]}|messages[0].images|text only",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'options':{'temperature':5}}|options.temperature|options.temperature must be between 0 (greedy) and 2",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'options':{'temperature':'hot'}}|options.temperature|must be a number",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'options':{'num_predict':0}}|options.num_predict|must be from 1",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'options':{'warmth':1}}|options.warmth|unknown option",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'options':{'num_ctx':'big'}}|options.num_ctx|must be a number",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'format':'yaml'}|format|format must be \"json\" or a JSON schema",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'think':'very'}|think|think must be true, false",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'keep_alive':'soon'}|keep_alive|keep_alive must be a duration",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'stream':'yes'}|stream|stream must be true or false",
        "{'messages':[{'role':'user','content':'x'}]}|model|model is required",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'temperature':0}|temperature|unknown field temperature",
    })
    void aBadChatNamesItsField(String body, String field, String message) {
        assertThatThrownBy(() -> chat(body)).isInstanceOfSatisfying(BadRequest.class, e -> {
            assertThat(e.param()).isEqualTo(field);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{'model':'m','prompt':'x','raw':true}|raw",
        "{'model':'m','prompt':'x','suffix':'y'}|suffix",
        "{'model':'m','prompt':'x','context':[1,2]}|context",
        "{'model':'m','prompt':'x','images':['aGk=']}|images",
    })
    void whatGenerateCannotHonourIsRefusedNamingIt(String body, String field) {
        assertThatThrownBy(() -> generate(body)).isInstanceOfSatisfying(BadRequest.class,
                e -> assertThat(e.param()).isEqualTo(field));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"5m,300", "1h30m,5400", "90s,90", "1.5s,1.5", "0,0", "-1,-1", "-1m,-60", "250ms,0.25", "10,10"})
    void keepAliveReadsGoDurationsAndSeconds(String text, double seconds) {
        assertThat(KeepAlive.parse(text)).isEqualTo(Duration.ofNanos((long) (seconds * 1e9)));
    }

    @Test
    void keepAliveAsANumberIsSecondsAndNegativeIsForever() throws Exception {
        var call = chat("{'model':'m','messages':[{'role':'user','content':'x'}],'keep_alive':-1}");
        assertThat(call.keepAlive().forever()).isTrue();
        assertThat(chat("{'model':'m','messages':[{'role':'user','content':'x'}],'keep_alive':30}").keepAlive()
                .duration()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> KeepAlive.parse("5 minutes")).isInstanceOf(BadRequest.class);
        assertThatThrownBy(() -> KeepAlive.parse("")).isInstanceOf(BadRequest.class);
    }
}
