package botframework

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// isLoopbackHost reports whether host (no port) is "localhost" or a loopback
// IP address. Other names are not resolved: they do not count as loopback.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// isLoopbackListenAddr reports whether a listen address (host:port) only
// accepts connections from this machine. ":port" and "0.0.0.0:port" listen
// on every interface and are not loopback.
func isLoopbackListenAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	return host != "" && isLoopbackHost(host)
}

// checkEndpointURL checks that raw is an absolute https URL, or an http URL
// to a loopback host (local tests and the demo), without user info.
func checkEndpointURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	if u.User != nil {
		return fmt.Errorf("URL must not carry user info")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("plain http is only allowed to a loopback host, not %q", u.Hostname())
	default:
		return fmt.Errorf("scheme %q is not https", u.Scheme)
	}
}
