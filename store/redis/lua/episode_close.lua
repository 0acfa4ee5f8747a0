-- KEYS: lease, episode hash, episodes zset.
-- ARGV: token, key.
-- Returns {opened, state, version}, -1 (none open) or -2 (fenced).
if fenced() then return -2 end
local f = redis.call('HMGET', KEYS[2], 'opened', 'state', 'version')
if not f[1] then return -1 end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
return f
