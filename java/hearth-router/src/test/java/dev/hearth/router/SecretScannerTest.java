package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Credentials that must be caught, and look-alikes that must not be: all made up for these tests. */
class SecretScannerTest {
    private final SecretScanner scanner = new SecretScanner();

    static Stream<String> secrets() {
        return Stream.of(
                "my key is sk-ant-api03-Qk3vN9xT2bLw7YpR4mZs8HcJ1dFg6UeA0oKiWqE5rTy",
                "ANTHROPIC_API_KEY=sk-ant-admin01-8fJk2LmN4pQr6StUv8WxYz0AbCdEfGhIj",
                "use sk-proj-4fT9kLmN2pQr8StUv6WxYz1AbCdEfGhIjKlMnOpQrStUvWx for the call",
                "OPENAI_API_KEY=sk-8f3kLmN2pQr8StUv6WxYz1AbCdEfGhIjKlMnOp",
                "deepseek: sk-3c9f1a7be2d84f6a9b0c5d7e8f1a2b3c",
                "aws configure: AKIA2E0A8F3B244C9986",
                "AKIAZ3MHQW7P4XK2LJ5N is the id",
                "aws_secret_access_key = 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",
                "token ghp_1234567890abcdefghijABCDEFGHIJ0123456789 works",
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
                "gho_16C7e42F292c6912E7710c838347Ae178B4a8cd1",
                "slack xoxb-2934823-1923847-aBcDeFgHiJkLmNoP",
                "xoxp-1234567890-0987654321-abcdefABCDEF",
                "maps key AIzaSyD3xK9mN2pQ8rS7tU6vW5xY4zA3bC2dE1f",
                "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc8f2Kx",
                "rk_live_51H8xYz2eZvKYlo2C8kLmNoPqRsTuVwXy",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7Zq3\n-----END RSA PRIVATE KEY-----",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
                "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5",
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "session=eyJ0eXAiOiJKV1QiLCJhbGciOi.eyJ1c2VyIjoiYWxpY2UiLCJyb2xlIjoiYWRtaW4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
                "postgres://app:S3cr3t-Pa55@db.internal:5432/orders",
                "mongodb+srv://admin:hunter2Xyz@cluster0.mongodb.net/test",
                "redis://default:rEd1sPassw0rd@cache:6379/0",
                "amqp://guest:Gu3stPw!@rabbit:5672/",
                "jdbc:sqlserver://db;user=sa;password=Str0ng!Passw0rd;encrypt=true",
                "jdbc:mysql://db/app?user=root&password=R00tP4ssw0rd&useSSL=true",
                "password: Tr0ub4dor&3xyz",
                "DB_PASSWORD=9fK2mLq8Zx",
                "api_key = 'a8f5f167f44f4964e6c998dee827110c'",
                "secret: 7d9f8a6b5c4e3d2f1a0b");
    }

    static Stream<String> lookAlikes() {
        return Stream.of(
                "I used sk-learn and scikit-learn for the model",
                "the sk-ant prefix marks Anthropic keys",
                "sk-short",
                "AKIA is the prefix of AWS access keys",
                "the commit is 3c9f1a7be2d84f6a9b0c5d7e8f1a2b3c4d5e6f7a",
                "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "request id 123e4567-e89b-12d3-a456-426614174000",
                "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
                "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa",
                "a JWT starts with eyJ and has three parts",
                "eyJhbGciOiJIUzI1NiJ9 is just a header",
                "postgres://localhost:5432/orders",
                "https://user@example.com/path",
                "connect to redis://cache:6379/0",
                "http://example.com:8080/api/v1/items",
                "password: ********",
                "password=<your-password>",
                "PASSWORD=${DB_PASSWORD}",
                "set the password to your own value",
                "api_key: YOUR_API_KEY_HERE",
                "secret: changeme",
                "token: xxxxxxxxxxxx",
                "the password field must be at least 12 characters",
                "ghp_ tokens are GitHub personal access tokens",
                "xox tokens belong to Slack",
                "AIza is how Google API keys begin",
                "use sk_test_ keys in development",
                "my pwd is the current directory, /home/alice",
                "jdbc:postgresql://db:5432/app?ssl=true",
                "Bearer tokens go in the Authorization header");
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void credentialsAreFoundAndRedacted(String text) {
        var found = scanner.scan(text);
        assertThat(found).as(text).isNotEmpty();
        String redacted = scanner.redact(text, found);
        assertThat(redacted).contains("[REDACTED ");
        assertThat(scanner.scan(redacted)).as("nothing left after redaction: %s", redacted).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("lookAlikes")
    void lookAlikesAreLeftAlone(String text) {
        assertThat(scanner.scan(text)).as(text).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theCorpusHasThirtyOfEach() {
        assertThat(secrets().count()).isGreaterThanOrEqualTo(30);
        assertThat(lookAlikes().count()).isGreaterThanOrEqualTo(30);
    }
}
