package graph

import "time"

// Observer is told about the client's traffic, for metrics. Calls happen
// on request goroutines and must not block.
type Observer interface {
	// ObserveRequest is called once per HTTP request to Graph (retries
	// included) with its route template ("GET /users/{user-id}"), the
	// HTTP status (0 when no response arrived) and its wall-clock duration.
	ObserveRequest(route string, status int, d time.Duration)
	// ObserveThrottle is called once per throttling answer from Graph:
	// a 429, or a 503 with Retry-After.
	ObserveThrottle(route string)
}

// nopObserver observes nothing.
type nopObserver struct{}

// ObserveRequest does nothing.
func (nopObserver) ObserveRequest(string, int, time.Duration) {}

// ObserveThrottle does nothing.
func (nopObserver) ObserveThrottle(string) {}
