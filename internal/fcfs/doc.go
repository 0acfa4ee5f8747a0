// Package fcfs is the in-process first-come-first-served request budget
// both the Graph client (graph's own reporting budget) and the
// single-replica state store (store/inproc's Bucket) keep: at most limit
// requests in any window, each counted from its grant until window after
// its answer, the requests that start a batch spread one every
// window/limit, a pause holding everyone, callers served in the order
// they asked.
package fcfs
