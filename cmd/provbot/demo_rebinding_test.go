package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestDemoAnswersOnlyItsOwnOrigin is the DNS-rebinding defence of the demo:
// a page on another site that makes its host name resolve to 127.0.0.1
// reaches the demo with its own Host and Origin, and gets nothing; the
// demo's own page, and tools without an Origin, get their answers.
func TestDemoAnswersOnlyItsOwnOrigin(t *testing.T) {
	demo := start(t, []string{"demo", "--addr", "127.0.0.1:0"}, map[string]string{})
	base := waitFor(t, "the demo URL", demo.stdout.String, regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+)/`))
	u, _ := url.Parse(base)
	port := u.Port()
	activity := `{"type":"message","id":"1","channelId":"msteams","serviceUrl":"` + base + `/connector/",` +
		`"from":{"id":"29:x","aadObjectId":"00000000-0000-0000-0000-000000000000"},"recipient":{"id":"28:provbot"},` +
		`"conversation":{"id":"a:demo-rebinding","conversationType":"personal"},"text":"help"}`
	for _, tc := range []struct {
		name, method, path, host, origin, contentType string
		status                                        int
	}{
		{"the page", "GET", "/", "127.0.0.1:" + port, "", "", 200},
		{"the cast, same origin", "GET", "/demo/cast", "127.0.0.1:" + port, "", "", 200},
		{"a message from the page", "POST", "/api/messages", "127.0.0.1:" + port, base, "application/json", 200},
		{"the cast under a rebound name", "GET", "/demo/cast", "attacker.example:" + port, "", "", 403},
		{"the replies under a rebound name", "GET", "/demo/conversations/a:demo-rebinding", "attacker.example:" + port, "", "", 403},
		{"a message under a rebound name", "POST", "/api/messages", "attacker.example:" + port, "http://attacker.example:" + port, "application/json", 403},
		{"a message from another site's page", "POST", "/api/messages", "127.0.0.1:" + port, "https://attacker.example", "application/json", 403},
		{"a form post from the page's origin", "POST", "/api/messages", "127.0.0.1:" + port, base, "text/plain", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body *strings.Reader
			if tc.method == "POST" {
				body = strings.NewReader(activity)
			} else {
				body = strings.NewReader("")
			}
			req, err := http.NewRequest(tc.method, base+tc.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = tc.host
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}
