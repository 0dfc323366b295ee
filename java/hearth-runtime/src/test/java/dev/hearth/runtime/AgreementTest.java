package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structured agreement and the verdict, from the matrix alone. */
class AgreementTest {
    private final Agreement structured = Agreement.structured();

    @Test
    void numbersCompareByValueAndStringsTrimmedAndCaseFolded() {
        double[][] m = structured.matrix(Arrays.asList("{\"n\": 1.0, \"s\": \" Yes \"}", "{\"n\": 1, \"s\": \"yes\"}",
                "{\"n\": \"1\", \"s\": \"YES\"}"));
        assertThat(m[0][1]).isEqualTo(1.0);
        assertThat(m[0][2]).isEqualTo(1.0);
    }

    @Test
    void eachFieldCountsAndAMissingOneDisagrees() {
        double[][] m = structured.matrix(Arrays.asList("{\"a\": 1, \"b\": [1, 2]}", "{\"a\": 1, \"b\": [1, 3]}",
                "{\"a\": 1}"));
        assertThat(m[0][1]).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m[0][2]).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void anAnswerThatIsNotJsonOrFailedAgreesWithNothing() {
        double[][] m = structured.matrix(Arrays.asList("{\"a\": 1}", "not json", null));
        assertThat(m[0][1]).isZero();
        assertThat(m[0][2]).isZero();
        assertThat(m[1][1]).isZero();
    }

    @Test
    void theVerdictFollowsTheLargestAgreeingGroup() {
        List<String> three = List.of("{\"a\": 1}", "{\"a\": 1.00}", "{\"a\": 2}");
        Agreement.Decision d = structured.decide(structured.matrix(three), three);
        assertThat(d.verdict()).isEqualTo(TournamentResult.Verdict.MAJORITY);
        assertThat(d.group()).containsExactly(0, 1);
        List<String> all = List.of("{\"a\": 1}", "{\"a\": 1}", "{\"a\": 1}");
        assertThat(structured.decide(structured.matrix(all), all).verdict())
                .isEqualTo(TournamentResult.Verdict.CONSENSUS);
        List<String> none = List.of("{\"a\": 1}", "{\"a\": 2}", "{\"a\": 3}");
        assertThat(structured.decide(structured.matrix(none), none).verdict())
                .isEqualTo(TournamentResult.Verdict.DISPUTE);
        List<String> oneFailed = Arrays.asList("{\"a\": 1}", "{\"a\": 1}", null);
        assertThat(structured.decide(structured.matrix(oneFailed), oneFailed).verdict())
                .as("a failed candidate is no part of a consensus").isEqualTo(TournamentResult.Verdict.MAJORITY);
        List<String> failedAll = Arrays.asList(null, null);
        assertThat(structured.decide(structured.matrix(failedAll), failedAll).chosen()).isEqualTo(-1);
    }
}
