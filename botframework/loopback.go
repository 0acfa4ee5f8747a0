package botframework

import (
	"errors"
	"fmt"
	"net"
	"net/http"
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

// LocalOnly wraps h for a server without authentication that listens on the
// loopback address listenAddr (host:port): it answers 403 to a request
// whose Host is not a loopback name or address with listenAddr's port, or
// whose Origin, when sent, is not such an origin. This is the defence
// against DNS rebinding (a web page the person visits makes its own host
// name resolve to 127.0.0.1 and then talks to the local server as if it
// were its own) and against other pages and local apps posting to it.
// Clients that send no Origin (tools, the Bot Framework Emulator) pass.
// A listenAddr port of 0 (not yet known) accepts any port.
func LocalOnly(listenAddr string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkLocalRequest(listenAddr, r); err != nil {
			http.Error(w, "Forbidden: "+err.Error(), http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// checkLocalRequest applies LocalOnly's rule to r.
func checkLocalRequest(listenAddr string, r *http.Request) error {
	_, port, _ := net.SplitHostPort(listenAddr)
	if port == "0" {
		port = ""
	}
	if !isLocalAuthority(r.Host, "", port) {
		return errors.New("the Host is not this loopback server")
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Path != "" && u.Path != "/" || u.User != nil {
		return errors.New("the Origin is not this loopback server")
	}
	if !isLocalAuthority(u.Host, u.Scheme, port) {
		return errors.New("the Origin is not this loopback server")
	}
	return nil
}

// isLocalAuthority reports whether hostport (a Host header or an origin's
// host) names a loopback host on port (any port when port is ""). A
// missing port is the scheme's default (80 without a scheme).
func isLocalAuthority(hostport, scheme, port string) bool {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		host, p = hostport, "80"
		if scheme == "https" {
			p = "443"
		}
	}
	return host != "" && isLoopbackHost(host) && (port == "" || p == port)
}
