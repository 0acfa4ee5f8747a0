-- KEYS: lease, watch hash, due zset, identity hash.
-- ARGV: token, version ("0": any).
-- Returns 1, -1 (no such watch), -2 (fenced) or {-3, stored version}.
-- The owner's index is the key the watch names (ownerkey): this script
-- runs on one Redis, not a cluster.
if fenced() then return -2 end
local f = redis.call('HMGET', KEYS[2], 'id', 'version', 'ownerkey', 'identity')
if not f[1] then return -1 end
if ARGV[2] ~= '0' and f[2] ~= ARGV[2] then return {-3, tonumber(f[2])} end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], f[1])
redis.call('ZREM', f[3], f[1])
if redis.call('HGET', KEYS[4], f[4]) == f[1] then redis.call('HDEL', KEYS[4], f[4]) end
return 1
