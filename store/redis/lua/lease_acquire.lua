-- KEYS: lease hash, token counter. ARGV: holder, ttl ms.
-- Returns {1, token} when held by this holder now (taken or renewed), or
-- {0, holder, ms left} when another holder has it. The counter has no
-- expiry: tokens keep growing across terms.
local h = redis.call('HGET', KEYS[1], 'holder')
if h and h ~= ARGV[1] then return {0, h, redis.call('PTTL', KEYS[1])} end
if h then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(redis.call('HGET', KEYS[1], 'token'))}
end
local t = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', t)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, t}
