-- KEYS: lease hash. ARGV: holder, token. Deletes the lease only when it
-- is still this holder's term.
local f = redis.call('HMGET', KEYS[1], 'holder', 'token')
if f[1] == ARGV[1] and f[2] == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0
