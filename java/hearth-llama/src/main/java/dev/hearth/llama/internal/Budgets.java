package dev.hearth.llama.internal;

import java.time.Duration;

/**
 * How much input Hearth lets reach the parts of llama.cpp that recurse on it (the Jinja engine, the chat output
 * parser, JSON schema to grammar): each recursion level takes native stack, and a native stack overflow ends the
 * JVM. Those calls run on {@link NativeStack}'s threads of {@link #NATIVE_STACK_BYTES}; every budget is a small
 * fraction of the depth that overflows that stack. The depths quoted were measured with the budgets bypassed, each
 * in a child JVM (NativeStackTest, {@code -Dhearth.measureStacks=true}; pinned llama.cpp, x86-64), as "overflows
 * 1 MiB / 8 MiB / 64 MiB"; they grow in proportion to the stack. Where the checks live: {@code Nesting} and
 * {@code ChatStream} (model output), {@code JsonChecks} (schemas, conversations), {@code TemplateChecks} (templates).
 */
public final class Budgets {
    private Budgets() {
    }

    /**
     * The stack of the threads that run recursive native calls. The JVM gives its main thread, platform threads and
     * virtual threads' carriers 1 MiB; 64 MiB is address space reserved, and used only as deep as a call goes.
     */
    public static final long NATIVE_STACK_BYTES = 64L << 20;

    /**
     * Brackets a model's output may nest before Hearth stops parsing it. {@code [} in a Hermes tool call overflows
     * 400 / 3,328 / 26,624 levels (2.5 KiB each): 256 leaves a margin of 100. Real answers nest a few levels;
     * deeper is a model repeating brackets.
     */
    public static final int MAX_OUTPUT_NESTING = 256;

    /**
     * Nesting of JSON handed to the chat templates: tool parameters, JSON schemas, tool-call arguments and tool
     * results. Real tool schemas and arguments stay well under it. Templates recurse on it (Hermes'
     * json_to_python_type, Gemma 4's format_argument: see {@link #MAX_MACRO_DEPTH}), and llama.cpp converts it to
     * Jinja values by recursion: arguments overflow at 3,072 / 25,088 / 200,704 levels.
     */
    public static final int MAX_JSON_DEPTH = 32;

    /**
     * Nesting of a JSON schema with its {@code $ref}s followed, as the grammar converter follows them (a hop counts
     * a level). A chain of objects, each holding the next through a {@code $ref}d property (4 levels a hop),
     * overflows at 344 / 2,816 / 22,528 hops: 128 levels, 32 such hops, leave a margin of 700.
     */
    public static final int MAX_SCHEMA_DEPTH = 128;

    /** Walk steps spent following a schema's {@code $ref}s before giving up on it ({@code $ref}s that branch). */
    public static final int MAX_SCHEMA_WALK = 200_000;

    /** A JSON schema's size, in characters: far beyond real tool schemas; bounds the grammar the converter writes. */
    public static final int MAX_SCHEMA_CHARS = 512 * 1024;

    /**
     * A name (object key) in a schema. With {@code additionalProperties}, the converter walks the property names a
     * character a level (_not_strings): overflows at 5,376 / 44,032 / 352,256 characters: 1,024 leaves 340.
     */
    public static final int MAX_SCHEMA_NAME_CHARS = 1024;

    /**
     * Optional properties of one object in a schema: the converter recurses once per optional property (overflows
     * 1 MiB at 2,176; 64 MiB would hold over 130,000) and builds rules quadratic in their number.
     */
    public static final int MAX_OPTIONAL_PROPERTIES = 256;

    /** A chat template's size: the largest real one (gpt-oss) has 17,000 characters. */
    public static final int MAX_TEMPLATE_CHARS = 256 * 1024;

    /**
     * Brackets nested in one template tag (real templates: 4): the Jinja parser and evaluator recurse per bracket,
     * overflowing at 464 / 3,840 / 30,720.
     */
    public static final int MAX_TAG_NESTING = 16;

    /**
     * Operators in one tag (real templates: 26): the parser and the evaluator nest a level per operator of a chain
     * ({@code a + b + c ...}, filters, attributes); {@code +} overflows at 792 / 6,336 / 50,688.
     */
    public static final int MAX_TAG_OPERATORS = 96;

    /** if/for/macro/filter/set blocks nested (real templates: 10); ifs overflow at 648 / 5,376 / 43,008. */
    public static final int MAX_BLOCK_NESTING = 24;

    /** for loops nested in a template (real templates: 3): each multiplies the work of rendering. */
    public static final int MAX_LOOP_NESTING = 6;

    /** Integer literals in a template (real templates: 16,384): {@code range()} of more builds huge lists. */
    public static final long MAX_TEMPLATE_INTEGER = 1_000_000;

    /**
     * Macro calls nested while a template renders. Real templates recurse as deep as the schema or arguments they
     * render ({@link #MAX_JSON_DEPTH}, plus the few macros around: 32-deep arguments render in Gemma 4, MiniMax-M3
     * and Kimi-K3). A macro recursing through an if block overflows at 480 / 3,936 / 31,488 calls. The most a
     * template within all the template budgets can take, 48 calls each through 23 nested blocks and from the bottom
     * of a 96-operator expression in 15 brackets, fits 8 MiB and overflows 4 MiB: a margin of 8 or more.
     */
    public static final int MAX_MACRO_DEPTH = 48;

    /**
     * How long a template may take to initialise or to render one conversation. Real ones take milliseconds; past
     * this, the caller gets an error and the native call is left to finish on its own thread (it cannot be
     * stopped), and the template is refused from then on.
     */
    public static final Duration RENDER_DEADLINE = Duration.ofSeconds(20);
}
