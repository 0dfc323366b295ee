package dev.hearth.cli;

import java.util.Map;

/**
 * A command or option group that reads settings (keys, strategy, cache and run directories, the default model) from
 * the environment {@link HearthCli#run(Map, String...)} was given: the process's for bin/hearth, one built from
 * scratch in tests. Nothing in the CLI reads {@code System.getenv()} besides {@code main}.
 */
interface TakesEnvironment {
    void environment(Map<String, String> env);
}
