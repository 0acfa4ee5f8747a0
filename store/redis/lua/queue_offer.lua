-- KEYS: order zset (item -> offer sequence), state hash (item ->
--       "o<ms>": offered until, "c<ms>": claimed until), sequence.
-- ARGV: item, ttl ms, most items, idle ms (the keys live at least this
--       long after each use).
-- Returns 1 (offered or refreshed), 0 (under a live claim: unchanged) or
-- -4 (full).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local item, ttl, most = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local function live(s) return s and tonumber(string.sub(s, 2)) > now end
local st = redis.call('HGET', KEYS[2], item)
if live(st) and string.sub(st, 1, 1) == 'c' then return 0 end
if not live(st) then
  -- New, or lapsed: to the back of the queue.
  redis.call('ZREM', KEYS[1], item)
  if redis.call('ZCARD', KEYS[1]) >= most then
    for _, it in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
      if not live(redis.call('HGET', KEYS[2], it)) then
        redis.call('ZREM', KEYS[1], it)
        redis.call('HDEL', KEYS[2], it)
      end
    end
    if redis.call('ZCARD', KEYS[1]) >= most then return -4 end
  end
  redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[3]), item)
end
redis.call('HSET', KEYS[2], item, 'o' .. (now + ttl))
local idle = math.max(tonumber(ARGV[4]), ttl)
for i = 1, 3 do
  if redis.call('PTTL', KEYS[i]) < idle then redis.call('PEXPIRE', KEYS[i], idle) end
end
return 1
