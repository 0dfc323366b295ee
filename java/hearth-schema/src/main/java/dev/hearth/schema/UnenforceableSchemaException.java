package dev.hearth.schema;

/**
 * A schema keyword that no grammar can enforce while sampling (or this one cannot yet), named with the JSON pointer
 * of the schema that uses it. Pass the schema in lenient mode to sample without it and validate the answer after.
 */
public final class UnenforceableSchemaException extends IllegalArgumentException {
    private final String keyword;
    private final String pointer;

    public UnenforceableSchemaException(String keyword, String pointer, String why) {
        super((keyword.isEmpty() ? "" : "\"" + keyword + "\" at " + pointer + ": ") + why);
        this.keyword = keyword;
        this.pointer = pointer;
    }

    /** The keyword ("" when the schema as a whole is the problem). */
    public String keyword() {
        return keyword;
    }

    /** The JSON pointer of the schema object that holds the keyword, e.g. {@code #/properties/tags}. */
    public String pointer() {
        return pointer;
    }
}
