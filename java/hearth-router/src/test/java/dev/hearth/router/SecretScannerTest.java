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
                "secret: 7d9f8a6b5c4e3d2f1a0b",
                // assigned in code and configuration, whatever the language
                "String secretKey = \"q8Fz2LmP0xWv7Ks3\";",
                "private static final String API_KEY = \"c3f9e2a17b8d4e6f\";",
                "api_key = 'hunter2-prod'",
                "PASSWORD=hunter2",
                "PASSWORD=correcthorse",
                "export DB_PASSWORD=\"correct horse battery staple\"",
                "const apiKey: string = \"3f9a8b7c6d5e4f3a\";",
                "{\"password\": \"s3cr3t-v4lue\", \"user\": \"alice\"}",
                "{\"password\":\"abc12345\"}",
                "client_secret: Zx9-Qw8_Er7",
                "spring.datasource.password=Sup3rS3cret",
                "password := \"pa55word-go\"",
                ":password => 'r0ckyRoad'",
                "SECRET_KEY_BASE=8a7b6c5d4e3f2a1b0c9d",
                "curl -H \"x-api-key: 9c1f7a2be4d84f6a\" https://api.internal/v1",
                // on command lines
                "mysql -u root -pS3cretPw! orders",
                "mysql --password=R00tly! -u root",
                "PGPASSWORD=Pg4dm1n! psql -h db -U postgres",
                "mysqldump -uadmin -p'Tr1cky pass' app > dump.sql",
                "sshpass -p 'W1nter2024' ssh deploy@host",
                "curl -H \"Authorization: Bearer 8f3kLmN2pQr8StUv6WxYz1AbCd\" https://api.example.net/v1",
                "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l",
                // in prose
                "my password is hunter2",
                "The password is Tr0ub4dor&3.",
                "my PIN is 4821",
                "and my password was P@ssw0rd! until Monday",
                // AWS's documented example pair: the secret goes with its key id, placeholder-like or not
                "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
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
                "Bearer tokens go in the Authorization header",
                // sentences about passwords and keys
                "click the password reset link in the email",
                "the key is to relax and breathe",
                "the password is required",
                "my password is too short",
                "Your password is incorrect.",
                "the PIN is printed on the back of the card",
                "my passcode was changed yesterday",
                "the secret is out: we ship on Monday",
                "a password is 8 to 64 characters long",
                // identifiers, hashes and numbers
                "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it",
                "max_tokens: 1000000",
                // code that handles a secret without holding one
                "password = userInput",
                "String password = request.getParameter(\"password\");",
                "api_key = os.getenv(\"OPENAI_API_KEY\")",
                "api_key_env = \"VLLM_API_KEY\"",
                "password_min_length = 12345678",
                "const token = await getToken();",
                "secretKey = generateKey()",
                "self.api_key = api_key",
                "config.password = settings.password",
                "apiKey: string;",
                "password: String,",
                "PASSWORD_LENGTH=16",
                "secret: true",
                "password_reset_url = \"https://example.com/reset\"",
                "\"password\": {\"type\": \"string\", \"description\": \"the user's password\"}",
                // command lines that prompt for the password, paths, placeholders
                "mysql -u root -p orders",
                "mysql -h db -P 3306 -u app -p",
                "PWD=/home/alice/projects",
                "Authorization: Bearer <token>");
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
    void theCorpusHasSixtyOfEach() {
        assertThat(secrets().count()).isGreaterThanOrEqualTo(60);
        assertThat(lookAlikes().count()).isGreaterThanOrEqualTo(60);
    }
}
