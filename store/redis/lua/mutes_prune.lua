-- KEYS: mutes hash (app -> JSON), mutes zset (app -> until ms).
-- ARGV: now ms. Forgets the mutes that ended; returns how many.
local ended = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, app in ipairs(ended) do
  redis.call('HDEL', KEYS[1], app)
  redis.call('ZREM', KEYS[2], app)
end
return #ended
