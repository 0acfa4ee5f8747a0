-- KEYS: value, lock. ARGV: claimant id, hold ms.
-- Returns {1, value} when the work's value is there, {2} when the caller
-- now holds the lock (it runs the work), {0} when another holds it. One
-- script, so that no caller takes the lock between another's publishing
-- the value and releasing the lock.
local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {0}
