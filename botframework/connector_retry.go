package botframework

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds the Bot Connector client's retries. Only 412, 429, 502,
// 503 and 504 are retried (Teams' guidance: never retry other statuses),
// with exponential backoff and ±20 % jitter, or after the Retry-After the
// service asked for. A request that got no response at all (connection
// refused or reset, a timeout) is retried with the same backoff when
// repeating it cannot post anything twice: when the request never reached
// the service whole (the connection failed before it was written), or for
// the idempotent updates and deletes (PUT, DELETE). A reply or send (POST)
// that was written whole may have been posted in the chat already, and the
// Bot Connector has no idempotency key, so it is not sent again: the error
// is returned. A retry that would end after the caller's context deadline
// is not attempted: the last error is returned at once.
type RetryPolicy struct {
	// MaxAttempts is the number of requests including the first. Default 4.
	MaxAttempts int
	// BaseDelay is the wait before the first retry; it doubles each time.
	// Default 1 s.
	BaseDelay time.Duration
	// MaxDelay caps the computed backoff. Default 20 s.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one ends
	// the retries. Default 60 s.
	MaxRetryAfter time.Duration
	// Sleep waits for d or until ctx is done. Default: a timer. Tests
	// inject one that records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// withDefaults fills zero fields.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = time.Second
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 20 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 60 * time.Second
	}
	if p.Sleep == nil {
		p.Sleep = sleepContext
	}
	return p
}

// retryableStatus reports whether a status is worth another attempt.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusPreconditionFailed, http.StatusTooManyRequests,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff returns the wait before retry number n (1 for the first retry).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	jitter := 0.8 + 0.4*rand.Float64() // ±20 %
	return time.Duration(float64(d) * jitter)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// sleepContext waits for d or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// transportError is a request that got no HTTP response.
type transportError struct {
	err error
	// written is true when the whole request was written to the
	// connection: the service may have received it and acted on it.
	written bool
}

// Error returns the underlying error.
func (e *transportError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e *transportError) Unwrap() error { return e.err }

// retryable reports whether sending the request again is safe and may
// help: nothing of it can have been acted on (it was never written whole;
// a server does not act on a request it did not receive whole), or the
// method is idempotent. A certificate the client refuses is not retried:
// that does not pass on its own.
func (e *transportError) retryable(method string) bool {
	var (
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
	)
	if errors.As(e.err, &verify) || errors.As(e.err, &unknown) || errors.As(e.err, &host) || errors.As(e.err, &invalid) {
		return false
	}
	if !e.written {
		return true
	}
	return method == http.MethodPut || method == http.MethodDelete
}
