package bftest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// failure is a queued failure: answer status for the next times requests.
type failure struct {
	status     int
	times      int
	retryAfter string
	code       string
	message    string
	hangUp     bool
}

// takeFailure pops one use of the first queued failure.
func takeFailure(queue *[]failure) (failure, bool) {
	if len(*queue) == 0 {
		return failure{}, false
	}
	f := (*queue)[0]
	(*queue)[0].times--
	if (*queue)[0].times <= 0 {
		*queue = (*queue)[1:]
	}
	return f, true
}
