// Package store is provbot's state that outlives a request: the port that
// the watches, alerts and approved actions of issue 12 write to, and what
// several replicas of `provbot serve` share.
//
// It holds
//
//   - conversation references (opaque bytes: the Bot Framework's
//     ConversationReference as JSON), to message people proactively;
//   - watches ("tell me when my account exists"): whom to tell, whom and
//     which app to re-check, when next, until when;
//   - alert channels, and the episodes already alerted (one alert per
//     episode);
//   - muted apps, each until a time;
//   - the audit of actions (who did what, for whom, Graph's request id);
//   - leases: one leader at a time for the pollers, with a fencing token
//     that the store checks on the pollers' writes;
//   - what replicas share to spend one reporting budget: a token bucket,
//     coalescing of identical work, a cache with expiry, and queues of
//     work waiting (offered, claimed, withdrawn) that whoever has room
//     takes.
//
// The package imports only the standard library. Two adapters implement
// [Store]: store/sqlite (an embedded SQLite database in one file, one
// replica; the bucket, coalescing, cache and queues are in-process) and
// store/redis (several replicas on one Redis). package storetest holds
// the conformance suite both pass.
//
// Times are kept to the millisecond and returned in UTC. Values the store
// keeps for its callers ([Watch.State], conversation references, ...) are
// opaque bytes of at most [MaxValue]; keys and ids are non-empty strings
// of at most [MaxKey] bytes without control characters. Invalid input is
// refused with an error that wraps [ErrInvalid].
package store
