/**
 * Rate limits, in process or shared through Redis, behind {@link dev.hearth.redis.RateLimits}; the server picks one
 * from the environment ({@link dev.hearth.redis.RateLimits#fromEnvironment}). Every implementation is thread-safe.
 */
package dev.hearth.redis;
