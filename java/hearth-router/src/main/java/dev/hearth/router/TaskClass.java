package dev.hearth.router;

/** What a request asks for, as far as choosing a model goes. */
public enum TaskClass {
    QUICK_RESPONSE, DEEP_THINKING, CODE, MATH, CREATIVE, TOOL_USE, EMBEDDING, GENERAL
}
