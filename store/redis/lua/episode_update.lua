-- KEYS: lease, episode hash.
-- ARGV: token, version, state.
-- Returns {new version, opened ms}, -1 (none open), -2 (fenced) or
-- {-3, stored version}.
if fenced() then return -2 end
local v = redis.call('HGET', KEYS[2], 'version')
if not v then return -1 end
if v ~= ARGV[2] then return {-3, tonumber(v)} end
local next = tonumber(v) + 1
redis.call('HSET', KEYS[2], 'state', ARGV[3], 'version', next)
return {next, redis.call('HGET', KEYS[2], 'opened')}
