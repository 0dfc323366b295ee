package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hearth.toml's [tournament]: read, and its mistakes refused at start with their line. */
class TournamentConfigTest {
    @TempDir
    Path dir;

    private Path write(String toml) throws IOException {
        return Files.writeString(dir.resolve("hearth.toml"), toml);
    }

    @Test
    void criticalTaskClassesAndAgentsAreRead() throws Exception {
        HearthConfig file = HearthConfig.load(write("""
                [agents]
                auditor = "deepseek-flash"
                [tournament]
                critical = ["math", "auditor"]
                n = 4
                until_agree = 2
                threshold = 0.9
                """));
        HearthConfig.Tournaments t = file.tournament();
        assertThat(t.n()).isEqualTo(4);
        assertThat(t.untilAgree()).isEqualTo(2);
        assertThat(t.threshold()).isEqualTo(0.9);
        assertThat(t.critical("math", null)).isTrue();
        assertThat(t.critical("code", "auditor")).isTrue();
        assertThat(t.critical("code", null)).isFalse();
        assertThat(HearthConfig.load(write("strategy = \"hybrid\"\n")).tournament())
                .isEqualTo(HearthConfig.Tournaments.NONE);
    }

    @Test
    void mistakesFailWithTheirLine() throws Exception {
        assertThatThrownBy(() -> HearthConfig.load(write("[tournament]\ncritical = [\"math\"]\nrounds = 3\n")))
                .hasMessageContaining("line 3").hasMessageContaining("unknown key \"rounds\"")
                .hasMessageContaining("until_agree");
        assertThatThrownBy(() -> HearthConfig.load(write("[tournament]\ncritical = [\"maths\"]\n")))
                .hasMessageContaining("line 2").hasMessageContaining("neither a task class nor an agent");
        assertThatThrownBy(() -> HearthConfig.load(write("[tournament]\nn = 3\nuntil_agree = 5\n")))
                .hasMessageContaining("line 3").hasMessageContaining("until_agree must be 0 or between 2 and 3");
        Path unknownModel = write("[tournament]\ncritical = [\"math\"]\nmodels = [\"gpt-9\", \"deepseek-flash\"]\n");
        assertThatThrownBy(() -> Router.fromConfig(unknownModel, Map.of()))
                .hasMessageContaining("line 3").hasMessageContaining("unknown model \"gpt-9\"");
        assertThat(HearthConfig.load(write("[tournament]\nmodels = [\"a\", \"b\", \"c\"]\n")).tournament().n())
                .as("listed models set n").isEqualTo(List.of("a", "b", "c").size());
    }
}
