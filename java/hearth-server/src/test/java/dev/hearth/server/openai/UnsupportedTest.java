package dev.hearth.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one list of parameters Hearth cannot honour: each refused by name, the values it can honour let through. */
class UnsupportedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Fields body(String fields) throws Exception {
        return Fields.of(JSON.readTree(("{" + fields + "}").replace('\'', '"')), "");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            'n':2                               | n                    | send n requests instead
            'n':'1'                             | n                    | n must be 1
            'logprobs':true                     | logprobs             | not supported
            'top_logprobs':3                    | top_logprobs         | not supported
            'presence_penalty':0.1              | presence_penalty     | leave it out or send 0
            'frequency_penalty':-1              | frequency_penalty    | leave it out or send 0
            'store':true                        | store                | leave store out or send false
            'audio':{'voice':'alloy'}           | audio                | text only
            'modalities':['text','audio']       | modalities           | text only
            'previous_response_id':'resp_1'     | previous_response_id | Hearth is stateless
            'conversation':'conv_1'             | conversation         | Hearth is stateless
            'background':true                   | background           | stream it
            'include':['reasoning.encrypted_content'] | include        | leave it out
            """)
    void refusesWhatHearthCannotHonourNamingIt(String field, String param, String message) {
        assertThatThrownBy(() -> Unsupported.refuse(body(field))).isInstanceOfSatisfying(BadRequest.class, e -> {
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.status()).isEqualTo(400);
        }).hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'n':1", "'logprobs':false", "'top_logprobs':0", "'presence_penalty':0",
            "'frequency_penalty':0", "'store':false", "'modalities':['text']", "'background':false", "'include':[]",
            "'previous_response_id':null", "'audio':null", "'temperature':1"})
    void letsThroughWhatItCanHonour(String field) {
        assertThatCode(() -> Unsupported.refuse(body(field))).doesNotThrowAnyException();
    }
}
