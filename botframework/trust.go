package botframework

import (
	"net/url"
	"strings"
	"sync"
)

// TrustedServiceURLs is the set of Bot Connector service URLs that arrived
// in authenticated activities. The server's authentication adds to it; the
// [Connector] sends the bot token only to URLs in it, so that a forged
// activity cannot make the bot hand its token to another host. It is safe
// for concurrent use; the zero value is an empty set.
//
// The set lives in memory: after a restart, a stored conversation's
// service URL is trusted again once an activity from it has been
// authenticated.
type TrustedServiceURLs struct {
	mu   sync.RWMutex
	urls map[string]struct{}
}

// Add trusts serviceURL. Callers outside this package should add only URLs
// that a verified token's serviceurl claim vouched for.
func (t *TrustedServiceURLs) Add(serviceURL string) {
	key, ok := serviceURLKey(serviceURL)
	if !ok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.urls == nil {
		t.urls = make(map[string]struct{})
	}
	t.urls[key] = struct{}{}
}

// Contains reports whether serviceURL is trusted. Scheme and host compare
// case-insensitively and a trailing slash does not matter.
func (t *TrustedServiceURLs) Contains(serviceURL string) bool {
	key, ok := serviceURLKey(serviceURL)
	if !ok {
		return false
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	_, found := t.urls[key]
	return found
}

// serviceURLKey normalises a service URL: lower-case scheme and host, path
// without trailing slashes, no query or fragment.
func serviceURLKey(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/"), true
}
