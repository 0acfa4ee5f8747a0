-- KEYS: state hash. ARGV: pause ms, idle ms. Pauses every grant until
-- now + pause, unless a longer pause is in force. Returns the end.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0
if cur > until_ then until_ = cur end
redis.call('HSET', KEYS[1], 'paused', until_)
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[2]), until_ - now))
return until_
