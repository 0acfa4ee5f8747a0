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

// LookupObserver is an [Observer] that is also told, per lookup, how long
// it waited for the reporting budget and how many facts it could not
// read. Calls must not block.
type LookupObserver interface {
	// ObserveReportingWait is called once per provisioning-log lookup
	// that went through the queue for the reporting budget, with the time
	// from joining the queue to its request going out (near zero when a
	// slot was free).
	ObserveReportingWait(d time.Duration)
	// ObserveLookupSkipped is called once per user lookup (Gather,
	// Lookup) that returned an input, with the number of facts it could
	// not read (the user's and every app's).
	ObserveLookupSkipped(n int)
}
