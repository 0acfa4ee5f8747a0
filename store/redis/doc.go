// Package redis is the store adapter for several replicas of provbot
// behind one Azure Bot: every replica opens the same Redis
// (PROVBOT_STORE=redis://host:6379/0, or rediss:// for TLS, as Azure Cache
// for Redis requires on port 6380) and they share the state, the
// reporting budget, the coalescing of identical work, the caches and the
// pollers' leader lease.
//
// It needs Redis 6.2 or later on one server (not Redis Cluster: some
// scripts touch keys they read from other keys). Every multi-key change
// is one Lua script, so it is atomic; the scripts that take time read the
// server's clock (TIME), so replicas whose clocks differ still agree.
// Persistence (RDB or AOF) is the operator's choice: without it, a Redis
// restart loses the watches and the audit, and fencing tokens start
// again from 1.
//
// # Key layout
//
// Every key starts with the prefix (default "provbot:"). Keys without a
// TTL live until provbot deletes them.
//
//	conv:<key>                       string  a conversation reference (JSON bytes)
//	watch:<id>                       hash    a watch: id owner conversation subject app state due expires created version ownerkey identity
//	watches:due                      zset    watch id → due time (ms)
//	watches:owner:<owner, lower>     zset    watch id → creation time (ms); ties in id order
//	watches:identity                 hash    "<owner>\n<subject>\n<app>" (lower) → watch id: one watch each
//	alert-channels                   hash    channel id → JSON {conversation, addedBy, addedMs}
//	episode:<key>                    hash    an open episode: key opened state version
//	episodes                         zset    episode key → opening time (ms)
//	mutes                            hash    app id → JSON {untilMs, by, reason}
//	mutes:until                      zset    app id → end (ms); ended mutes are deleted when listed
//	audit                            zset    "<sequence, 20 digits>|<JSON record>" → time of the action (ms)
//	audit:seq                        string  the audit's sequence
//	lease:<name>                     hash    holder token                                  TTL: the lease's
//	lease-token:<name>               string  the lease's last fencing token
//	budget:<name>:slots              zset    slot id → expiry (ms): grant + 2 min while in flight, answer + window after
//	budget:<name>:queue              zset    waiter ticket → arrival sequence              TTL: 2 min + window + 2 s idle
//	budget:<name>:alive              zset    waiter ticket → time its waiter last asked + 2 s
//	budget:<name>:seq                string  arrival sequence
//	budget:<name>:state              hash    paused (ms until which grants wait) spaced (ms of the last spaced grant)
//	flight:<key>:lock                string  the id of the replica running the work       TTL: hold
//	flight:<key>:value               string  the work's value                              TTL: keep
//	cache:<key>                      string  a cached value                                 TTL: the entry's
//	queue:<name>:order               zset    item → offer sequence                          TTL: 1 min idle, at least the longest offer or claim
//	queue:<name>:state               hash    item → "o<ms>" offered until, "c<ms>" claimed until
//	queue:<name>:seq                 string  offer sequence
//
// The budget's keys expire together, 2 min + window + 2 s after the
// bucket was last used; a waiter that stops asking (its replica died)
// leaves the line 2 s later, and a slot that a dead replica held counts
// until its 2 min are over, never less than the window after it was
// granted.
package redis
