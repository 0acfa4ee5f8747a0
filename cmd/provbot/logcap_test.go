package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// forgedBearer is a token whose header names a kid of n bytes: no signing
// key has it, so the request is refused, and the refusal is logged.
func forgedBearer(n int) string {
	enc := base64.RawURLEncoding
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": strings.Repeat("k", n)})
	claims, _ := json.Marshal(map[string]any{"iss": "https://api.botframework.com", "aud": serveAppID, "exp": time.Now().Add(time.Hour).Unix()})
	return "Bearer " + enc.EncodeToString(header) + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString([]byte("not a signature"))
}

// TestServeLogsAtMostAFewHundredBytesOfARequestsValues sends unsigned
// activities whose kid, activity id, conversation id and names are huge:
// what the log keeps of each request stays small.
func TestServeLogsAtMostAFewHundredBytesOfARequestsValues(t *testing.T) {
	b := startServe(t, nil)
	var act map[string]any
	_ = json.Unmarshal(activityFrom("Adele Vance", "hello", b.connector.URL), &act)
	huge := strings.Repeat("x", 60<<10)
	act["id"] = huge
	act["conversation"].(map[string]any)["id"] = huge
	act["from"].(map[string]any)["name"] = huge
	body, _ := json.Marshal(act)

	before := len(b.stderr.String())
	for _, auth := range []string{forgedBearer(40 << 10), "", "Bearer " + huge} {
		if code := b.postActivity(t, body, auth); code != http.StatusUnauthorized {
			t.Errorf("forged request answered %d, want 401", code)
		}
	}
	logged := b.stderr.String()[before:]
	t.Logf("three forged requests wrote %d bytes of log", len(logged))
	if len(logged) > 3*4096 {
		t.Errorf("three forged requests wrote %d bytes of log, want at most 4 KiB each:\n%.600s", len(logged), logged)
	}
	if !strings.Contains(logged, "rejected unauthenticated request") || !strings.Contains(logged, "more bytes]") {
		t.Errorf("the refusals are not logged, or not capped:\n%.600s", logged)
	}
}

// TestServeRefusesAbsurdlyLargeHeaders: a Bot Framework token is a few
// kilobytes; a header of hundreds is refused before anything reads it.
func TestServeRefusesAbsurdlyLargeHeaders(t *testing.T) {
	b := startServe(t, nil)
	body := activityFrom("Adele Vance", "hello", b.connector.URL)
	if code := b.postActivity(t, body, forgedBearer(400<<10)); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 530 KiB Authorization header answered %d, want 431", code)
	}
}
