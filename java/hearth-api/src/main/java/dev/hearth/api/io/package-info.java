/**
 * How Hearth writes files: the one rule for every file a user named or that lives in Hearth's caches (new files
 * created exclusively, never through a link; only regular files replaced, atomically; nothing left behind on failure).
 * Stateless static methods, safe from any thread; two writers of one target race as two renames do.
 */
package dev.hearth.api.io;
