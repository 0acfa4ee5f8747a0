-- KEYS: order zset, state hash, sequence (see queue_offer.lua).
-- ARGV: most items, lease ms, idle ms.
-- Claims up to most of the oldest offered items until now + lease and
-- returns them, oldest first; lapsed items leave the queue.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local most, lease = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
for _, it in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local s = redis.call('HGET', KEYS[2], it)
  if not s or tonumber(string.sub(s, 2)) <= now then
    redis.call('ZREM', KEYS[1], it)
    redis.call('HDEL', KEYS[2], it)
  elseif #out < most and string.sub(s, 1, 1) == 'o' then
    redis.call('HSET', KEYS[2], it, 'c' .. (now + lease))
    out[#out + 1] = it
  end
end
local idle = math.max(tonumber(ARGV[3]), lease)
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i]) == 1 and redis.call('PTTL', KEYS[i]) < idle then redis.call('PEXPIRE', KEYS[i], idle) end
end
return out
