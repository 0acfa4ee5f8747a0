package diagnose

import "errors"

// The kinds of failure adapters report, so that consumers can answer
// without knowing which adapter failed. Adapters wrap their own errors so
// that errors.Is matches one of these.
var (
	// ErrNotFound means the user, app or job does not exist.
	ErrNotFound = errors.New("not found")
	// ErrForbidden means provbot lacks a permission it needs.
	ErrForbidden = errors.New("permission denied")
	// ErrThrottled means the service asked provbot to slow down.
	ErrThrottled = errors.New("throttled")
	// ErrUnavailable means the service failed or did not answer in time.
	ErrUnavailable = errors.New("service unavailable")
	// ErrInvalid means the request itself was wrong (bad input, or a
	// query the service rejected).
	ErrInvalid = errors.New("invalid request")
)
