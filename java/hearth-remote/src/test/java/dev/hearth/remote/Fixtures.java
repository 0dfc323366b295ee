package dev.hearth.remote;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Tool;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/** Shared test set-up: configurations pointed at the fakes, with a recording sleeper and a fixed clock. */
final class Fixtures {
    static final String KEY = "sk-test-SECRET-4f9a2c7e1b";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Tool WEATHER = new Tool("get_weather", "Weather for a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

    private Fixtures() {
    }

    /** Records the waits instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration d) {
            waits.add(d);
        }
    }

    static RemoteConfig config(String provider, URI base, RecordingSleeper sleeper) {
        return RemoteConfig.of(provider, base, KEY).withClock(Clock.fixed(NOW, ZoneOffset.UTC)).withSleeper(sleeper)
                .withRandom(new HalfRandom())
                .withTimeouts(Timeouts.defaults().withFirstToken(Duration.ofSeconds(20)).withIdle(Duration.ofSeconds(20)));
    }

    static ChatRequest request(String model) {
        return ChatRequest.of(model, List.of(ChatMessage.system("Be brief."), ChatMessage.user("Weather in Paris?")))
                .withMaxTokens(2048);
    }

    /** Jitter that always draws one half, so backoffs are exact. */
    static final class HalfRandom implements RandomGenerator {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE / 2;
        }

        @Override
        public double nextDouble() {
            return 0.5;
        }
    }
}
