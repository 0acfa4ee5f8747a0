-- A reporting budget's slot, first come first served across replicas.
-- KEYS: slots zset (slot -> expiry ms: grant + hold while in flight,
--       answer + window once answered), queue zset (ticket -> arrival
--       sequence), alive zset (ticket -> ms until which its caller is
--       known to wait), sequence counter, state hash (paused: ms until
--       which grants are paused; spaced: ms of the last spaced grant).
-- ARGV: ticket, spaced (1/0), limit, window ms, hold ms, alive ms, slot
--       id, idle ms (expiry of every key).
-- Time is the Redis server's, the same for every replica.
-- Returns {granted, wait ms, on release (1: only an answer frees a slot),
--          tickets ahead, now ms, paused ms, last spaced ms, queue length,
--          slot expiries...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ticket, spaced = ARGV[1], ARGV[2] == '1'
local limit, window, hold, alive = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local spacing = math.floor(window / limit)

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
-- Callers that stopped asking (their replica died) leave the queue.
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[2], gone)
  redis.call('ZREM', KEYS[3], gone)
end
if not redis.call('ZSCORE', KEYS[2], ticket) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ticket)
end
redis.call('ZADD', KEYS[3], now + alive, ticket)

local st = redis.call('HMGET', KEYS[5], 'paused', 'spaced')
local paused, last = tonumber(st[1]) or 0, tonumber(st[2]) or 0
local slots = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local wait, onrelease = 0, 0
if now < paused then
  wait = paused - now
else
  if #slots / 2 >= limit then
    local first = tonumber(slots[2])
    if first <= now + window then wait = first - now else onrelease = 1 end
  end
  if spaced and last > 0 and last + spacing > now then wait = math.max(wait, last + spacing - now) end
end
local ahead = redis.call('ZRANK', KEYS[2], ticket)
local granted = 0
if ahead == 0 and wait == 0 and onrelease == 0 then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[7])
  if spaced then
    last = now
    redis.call('HSET', KEYS[5], 'spaced', now)
  end
  redis.call('ZREM', KEYS[2], ticket)
  redis.call('ZREM', KEYS[3], ticket)
  granted = 1
  slots = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
end
for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[8]) end
local out = {granted, wait, onrelease, ahead, now, paused, last, redis.call('ZCARD', KEYS[2])}
for i = 2, #slots, 2 do out[#out + 1] = tonumber(slots[i]) end
return out
