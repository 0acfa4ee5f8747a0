-- KEYS: lease, episode hash, episodes zset.
-- ARGV: token, key, opened ms, state.
-- Returns {1} when opened, {0, opened, state, version} when one is open
-- already, -2 when fenced.
if fenced() then return -2 end
local f = redis.call('HMGET', KEYS[2], 'opened', 'state', 'version')
if f[1] then return {0, f[1], f[2], f[3]} end
redis.call('HSET', KEYS[2], 'key', ARGV[2], 'opened', ARGV[3], 'state', ARGV[4], 'version', 1)
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
return {1}
