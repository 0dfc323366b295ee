package dev.hearth.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.server.openai.BadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies read with bounds before anything deep is built: the size (413 past the limit), UTF-8 (invalid bytes
 * refused), nesting depth, string length, and duplicate keys (refused: which one wins differs between parsers).
 */
final class JsonBodies {
    static final int MAX_DEPTH = 64;
    static final JsonMapper MAPPER = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(8 << 20).maxNumberLength(100).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonBodies() {
    }

    /** A request's JSON body: content-type JSON (or none), at most {@code limit} bytes, parsed with bounds. */
    static JsonNode read(io.helidon.webserver.http.ServerRequest req, long limit) throws IOException {
        var type = req.headers().contentType();
        if (type.isPresent() && !type.get().mediaType().subtype().equalsIgnoreCase("json")) {
            throw new BadRequest(415, null, "unsupported_media_type", "the body must be JSON with content-type"
                    + " application/json, not " + type.get().mediaType().text());
        }
        if (req.headers().contentLength().orElse(0) > limit) {
            throw tooLarge(limit);
        }
        return read(req.content().inputStream(), limit);
    }

    /** Reads at most {@code limit} bytes of {@code in} as one JSON document. */
    static JsonNode read(InputStream in, long limit) throws IOException {
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException | RuntimeException e) { // Helidon reports a body cut short as a runtime exception
            throw new BadRequest(400, null, "incomplete_body", "the request body ended before the length its headers"
                    + " announced (or could not be read: " + e.getClass().getSimpleName() + "); send the whole body");
        }
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        return parse(bytes);
    }

    static BadRequest tooLarge(long limit) {
        return new BadRequest(413, null, "request_too_large", "the request body is larger than " + limit
                + " bytes; send a shorter conversation, or start the server with a larger HEARTH_MAX_BODY_BYTES");
    }

    static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new BadRequest(null, "the request body is empty; send a JSON object");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest(null, "the request body is not valid UTF-8; send JSON encoded as UTF-8");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadRequest(null, "the request body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        }
    }
}
