-- KEYS: watch hash, due zset, owner zset, identity hash.
-- ARGV: id, identity field, owner, conversation, subject, app, state,
--       due ms, expires ms, created ms.
-- Returns {1, id} when created, {0, existing id} when the owner already
-- watches that subject and app.
local existing = redis.call('HGET', KEYS[4], ARGV[2])
if existing then return {0, existing} end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'owner', ARGV[3], 'conversation', ARGV[4], 'subject', ARGV[5],
  'app', ARGV[6], 'state', ARGV[7], 'due', ARGV[8], 'expires', ARGV[9], 'created', ARGV[10], 'version', 1,
  'ownerkey', KEYS[3], 'identity', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[8], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[10], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[1])
return {1, ARGV[1]}
