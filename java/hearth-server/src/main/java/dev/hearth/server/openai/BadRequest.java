package dev.hearth.server.openai;

/**
 * A request the client must change: answered 400 (or {@code status}) in OpenAI's error shape, naming the field
 * ({@code param}, a JSON path such as {@code messages[2].role}) and saying what to send instead.
 */
public final class BadRequest extends IllegalArgumentException {
    private final int status;
    private final String param;
    private final String code;

    public BadRequest(String param, String message) {
        this(400, param, "invalid_value", message);
    }

    public BadRequest(int status, String param, String code, String message) {
        super(message);
        this.status = status;
        this.param = param;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The field at fault, or null for the request as a whole. */
    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
