/**
 * JSON Schema to GBNF, exact: what the grammar accepts always validates. Conversion is a pure function (thread-safe,
 * no native code); a {@link dev.hearth.schema.SchemaValidator} is immutable and may be shared between threads.
 */
package dev.hearth.schema;
