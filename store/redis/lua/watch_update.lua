-- KEYS: lease, watch hash, due zset.
-- ARGV: token, version, conversation, state, due ms, expires ms.
-- Returns the watch's fields after the update (HGETALL), -1 (no such
-- watch), -2 (fenced) or {-3, stored version} (conflict).
if fenced() then return -2 end
local v = redis.call('HGET', KEYS[2], 'version')
if not v then return -1 end
if v ~= ARGV[2] then return {-3, tonumber(v)} end
local next = tonumber(v) + 1
redis.call('HSET', KEYS[2], 'conversation', ARGV[3], 'state', ARGV[4], 'due', ARGV[5], 'expires', ARGV[6], 'version', next)
redis.call('ZADD', KEYS[3], ARGV[5], redis.call('HGET', KEYS[2], 'id'))
return redis.call('HGETALL', KEYS[2])
