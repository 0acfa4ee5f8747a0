-- KEYS: queue zset, alive zset. ARGV: ticket. A caller stops waiting.
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
