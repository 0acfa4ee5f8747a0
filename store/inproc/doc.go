// Package inproc holds in-process implementations of store.Shared's
// parts: a token bucket, coalescing, a cache with expiry and work queues,
// for a store that serves one replica (store/sqlite). They keep nothing
// on disk.
package inproc
