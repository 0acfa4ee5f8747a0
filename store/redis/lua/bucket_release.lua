-- KEYS: slots zset. ARGV: slot id, used (1/0), window ms, idle ms.
-- A used slot counts until window after now (the answer); an unused one
-- frees at once. Returns the server time.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[2] == '1' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return now
