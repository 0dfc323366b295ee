/**
 * JSON Schema for constrained output: {@link dev.hearth.schema.JsonSchemaGrammar} turns a JSON Schema 2020-12 into a
 * GBNF grammar that accepts only valid instances (refusing, with the keyword and its JSON pointer, what a grammar cannot
 * enforce), and {@link dev.hearth.schema.SchemaValidator} checks every answer independently of that grammar.
 */
module dev.hearth.schema {
    requires transitive com.fasterxml.jackson.databind;
    requires com.networknt.schema;

    exports dev.hearth.schema;
}
