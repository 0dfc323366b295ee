package dev.hearth.llama.internal;

import java.time.Duration;

/**
 * How much input Hearth lets reach the parts of llama.cpp that recurse on it (the Jinja engine, the chat output
 * parser, JSON schema to grammar): each recursion level takes native stack, and a native stack overflow ends the
 * JVM. Those calls run on {@link NativeStack}'s threads of {@link #NATIVE_STACK_BYTES}; every budget here is a small
 * fraction of the depth measured to overflow that stack (crash depths measured with the budgets off, in a child JVM:
 * NativeStackDepthTest prints them; figures below are from the pinned llama.cpp on x86-64). Where the checks live:
 * {@code Nesting} and {@code ChatStream} (model output), {@code JsonChecks} (schemas, histories),
 * {@code TemplateChecks} (templates).
 */
public final class Budgets {
    private Budgets() {
    }

    /**
     * The stack of the threads that run recursive native calls. The JVM gives its main thread, platform threads and
     * virtual threads' carriers 1 MiB; a 64 MiB stack is only reserved address space until used.
     */
    public static final long NATIVE_STACK_BYTES = 64L << 20;

    /**
     * Brackets a model's output may nest before Hearth stops parsing it. The parser overflowed 1 MiB at 396 levels
     * of {@code [} in a Hermes tool call (8 MiB: 3,200; about 2.6 KiB a level), so 64 MiB holds about 25,000:
     * 256 leaves a margin of 100. Real answers nest a few levels; deeper is a model repeating brackets.
     */
    public static final int MAX_OUTPUT_NESTING = 256;

    /**
     * Nesting of JSON handed to the chat templates: tool parameters, JSON schemas, tool-call arguments and tool
     * results. Templates recurse on it (Hermes' json_to_python_type, Gemma 4's format_argument), and llama.cpp
     * converts it to Jinja values by recursion (overflowed 1 MiB at 3,000 levels of arguments); deeper than any
     * real tool schema or argument.
     */
    public static final int MAX_JSON_DEPTH = 32;

    /**
     * Nesting of a JSON schema with its {@code $ref}s followed, as the grammar converter follows them (each hop
     * counts one level). A chain of 720 {@code $ref}s at JSON depth 3 overflowed 1 MiB, 330 hops through an object
     * property each (3 KiB a hop); 64 MiB holds over 20,000 hops: 128 leaves a margin of 150.
     */
    public static final int MAX_SCHEMA_DEPTH = 128;

    /** Walk steps spent following a schema's {@code $ref}s before giving up on it (refs that branch exponentially). */
    public static final int MAX_SCHEMA_WALK = 200_000;

    /** A JSON schema's size, in characters: far beyond real tool schemas; bounds the grammar the converter writes. */
    public static final int MAX_SCHEMA_CHARS = 512 * 1024;

    /**
     * A name (object key) in a schema. With {@code additionalProperties}, the converter walks the property names
     * one character a level (_not_strings): a 5,300-character name overflowed 1 MiB (200 bytes a character); 64 MiB
     * holds over 300,000: 1,024 leaves a margin of 300.
     */
    public static final int MAX_SCHEMA_NAME_CHARS = 1024;

    /**
     * Optional properties of one object in a schema: the converter recurses once per optional property (2,150
     * overflowed 1 MiB; over 130,000 fit in 64 MiB) and builds rules quadratic in their number.
     */
    public static final int MAX_OPTIONAL_PROPERTIES = 256;

    /** A chat template's size: the largest real one (gpt-oss) has 17,000 characters. */
    public static final int MAX_TEMPLATE_CHARS = 256 * 1024;

    /**
     * Brackets nested in one template tag (real templates: 4): the Jinja parser and evaluator recurse per bracket,
     * 460 nested parentheses overflowed 1 MiB (2.2 KiB a level).
     */
    public static final int MAX_TAG_NESTING = 16;

    /**
     * Operators in one tag (real templates: 26): the parser and the evaluator nest one level per operator of a
     * chain ({@code a + b + c ...}, filters, attributes); a chain of 760 {@code +} overflowed 1 MiB (1.4 KiB each).
     */
    public static final int MAX_TAG_OPERATORS = 96;

    /** if/for/macro/filter/set blocks nested in a template (real templates: 10; 645 ifs overflowed 1 MiB). */
    public static final int MAX_BLOCK_NESTING = 24;

    /** for loops nested in a template (real templates: 3): each multiplies the work of rendering. */
    public static final int MAX_LOOP_NESTING = 6;

    /** Integer literals in a template (real templates: 16,384): {@code range()} of more builds huge lists. */
    public static final long MAX_TEMPLATE_INTEGER = 1_000_000;

    /**
     * Macro calls nested while a template renders: real templates recurse as deep as the schema or arguments they
     * render ({@link #MAX_JSON_DEPTH}, plus the few macros around). A macro recursing through an if block
     * overflowed 1 MiB at 466 levels (2.2 KiB a level). The worst a template within the tag and block budgets can do,
     * a level of 24 nested blocks and a call at the bottom of a 96-operator expression in 16 brackets (about 210 KiB
     * a level), takes 10 MiB over 49 levels: a sixth of the stack, and real templates use under a hundredth.
     */
    public static final int MAX_MACRO_DEPTH = 48;

    /**
     * How long a template may take to initialise or to render one conversation. Real ones take milliseconds; past
     * this, the caller gets an error and the native call is left to finish on its own thread (it cannot be
     * stopped), and the template is refused from then on.
     */
    public static final Duration RENDER_DEADLINE = Duration.ofSeconds(20);
}
