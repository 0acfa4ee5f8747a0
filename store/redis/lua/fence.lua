-- Prepended to the scripts that take a fence: KEYS[1] is the fence's
-- lease, ARGV[1] its token ("0": no fence). A lease that lapsed has
-- expired away, so its token no longer matches.
local function fenced()
  if ARGV[1] == '0' then return false end
  return redis.call('HGET', KEYS[1], 'token') ~= ARGV[1]
end
