/** picocli commands behind bin/hearth. Each command runs once per process, on the main thread. */
package dev.hearth.cli;
