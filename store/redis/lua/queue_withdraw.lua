-- KEYS: order zset, state hash (see queue_offer.lua). ARGV: items.
-- Takes the items off the queue but those under a live claim, which it
-- returns.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local claimed = {}
for _, it in ipairs(ARGV) do
  local s = redis.call('HGET', KEYS[2], it)
  if s and string.sub(s, 1, 1) == 'c' and tonumber(string.sub(s, 2)) > now then
    claimed[#claimed + 1] = it
  else
    redis.call('ZREM', KEYS[1], it)
    redis.call('HDEL', KEYS[2], it)
  end
end
return claimed
