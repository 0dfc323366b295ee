/**
 * State several Hearth instances share through Redis ({@code HEARTH_REDIS_URL}): per-key rate limits as token buckets
 * that atomic Lua scripts update where they are stored, with the in-process limits beside them, used by one instance
 * alone and by several while Redis is down.
 */
module dev.hearth.redis {
    requires org.slf4j;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;

    exports dev.hearth.redis;
}
