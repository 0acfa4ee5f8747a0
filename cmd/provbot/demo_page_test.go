package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// getDemoPage sends one request to demoPageHandler and returns the response
// and its body.
func getDemoPage(t *testing.T, method, target string, header http.Header) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	demoPageHandler().ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// checkSecurityHeaders checks the headers every answer of the page carries.
func checkSecurityHeaders(t *testing.T, target string, res *http.Response) {
	t.Helper()
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("%s: Content-Security-Policy = %q, want default-src 'self'", target, csp)
	}
	for _, weak := range []string{"unsafe-inline", "unsafe-eval", "*", "data:", "http:"} {
		if strings.Contains(csp, weak) {
			t.Errorf("%s: Content-Security-Policy %q allows %s", target, csp, weak)
		}
	}
	if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", target, got)
	}
}

func TestDemoPageServesIndex(t *testing.T) {
	res, body := getDemoPage(t, http.MethodGet, "/", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", res.StatusCode)
	}
	if got, want := res.Header.Get("Content-Type"), "text/html; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	checkSecurityHeaders(t, "/", res)
	for _, want := range []string{
		`<script type="module" src="/static/app.js"></script>`,
		`<link rel="stylesheet" href="/static/style.css">`,
		`data-testid="persona"`, `data-testid="cast"`, `data-testid="ask"`, `data-testid="send"`,
		`data-testid="messages"`, `data-testid="typing"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	// The CSP forbids inline code: every script must be a file, and no
	// element may carry a style attribute or an event handler attribute.
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, ` src="/static/`) {
			t.Errorf("inline script %s", m)
		}
	}
	if m := regexp.MustCompile(`\s(style|on[a-z]+)=`).FindString(body); m != "" {
		t.Errorf("index.html has an inline %q attribute", strings.TrimSpace(m))
	}
	for _, remote := range []string{"http://", "https://", "//cdn"} {
		if strings.Contains(body, remote) {
			t.Errorf("index.html refers to %s: the page must work offline", remote)
		}
	}
}

func TestDemoPageServesStaticFiles(t *testing.T) {
	for _, tc := range []struct{ path, ctype, contains string }{
		{"/static/app.js", "text/javascript; charset=utf-8", `from "./cards.js"`},
		{"/static/cards.js", "text/javascript; charset=utf-8", "export function renderCard"},
		{"/static/style.css", "text/css; charset=utf-8", ".ac-factset"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res, body := getDemoPage(t, http.MethodGet, tc.path, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tc.path, res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tc.ctype)
			}
			checkSecurityHeaders(t, tc.path, res)
			if !strings.Contains(body, tc.contains) {
				t.Errorf("%s lacks %q", tc.path, tc.contains)
			}
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			again, _ := getDemoPage(t, http.MethodGet, tc.path, http.Header{"If-None-Match": {etag}})
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("GET with If-None-Match = %d, want 304", again.StatusCode)
			}
		})
	}
}

func TestDemoPageUnknownPathsAre404(t *testing.T) {
	for _, target := range []string{
		"/nope", "/index.html", "/static/", "/static/index.html", "/static/nope.js",
		"/static/web/app.js", "/static/..%2fdemo_page.go", "/static/app.js/x", "/favicon.ico",
	} {
		res, _ := getDemoPage(t, http.MethodGet, target, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, res.StatusCode)
		}
		checkSecurityHeaders(t, target, res)
	}
}

func TestDemoPageOtherMethodsAre405(t *testing.T) {
	for _, target := range []string{"/", "/static/app.js"} {
		res, _ := getDemoPage(t, http.MethodPost, target, nil)
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s = %d, want 405", target, res.StatusCode)
		}
	}
	res, body := getDemoPage(t, http.MethodHead, "/static/app.js", nil)
	if res.StatusCode != http.StatusOK || body != "" {
		t.Errorf("HEAD /static/app.js = %d with %d bytes, want 200 and no body", res.StatusCode, len(body))
	}
}

// TestDemoPageScriptsInsertNoHTML keeps card and directory text out of the
// HTML parser: the scripts build the page with DOM calls and textContent
// only (the CSP's Trusted Types enforce the same in the browser).
func TestDemoPageScriptsInsertNoHTML(t *testing.T) {
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*"(style|on)`)
	for name, f := range loadWebFiles() {
		if !strings.HasSuffix(name, ".js") {
			continue
		}
		if m := sinks.FindString(string(f.body)); m != "" {
			t.Errorf("%s uses %s", name, m)
		}
	}
}
