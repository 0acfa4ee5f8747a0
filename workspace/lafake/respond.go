package lafake

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// writeResult writes the API's success answer.
func writeResult(w http.ResponseWriter, cols []column, recs []record, partial any) int {
	out := make([][]any, len(recs))
	for i, rec := range recs {
		row := make([]any, len(cols))
		for j, c := range cols {
			row[j] = cellValue(rec[c.Name], c.Type)
		}
		out[i] = row
	}
	body := map[string]any{"tables": []any{map[string]any{"name": "PrimaryResult", "columns": cols, "rows": out}}}
	if partial != nil {
		body["error"] = partial
	}
	return writeJSON(w, http.StatusOK, body)
}

// cellValue writes a value as the API does: datetimes with seven
// fractional digits, dynamic values as JSON text, numbers as numbers.
func cellValue(v any, typ string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		return formatTime(x)
	case float64:
		if typ == "long" && x == math.Trunc(x) {
			return int64(x)
		}
		return x
	case string, bool:
		return x
	default:
		return text(x)
	}
}

// queryError answers a query that does not compile.
func queryError(w http.ResponseWriter, err error) int {
	var se *syntaxError
	if errors.As(err, &se) {
		return writeError(w, http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties",
			map[string]any{"code": "SyntaxError", "message": "A recognition error occurred in the query.",
				"innererror": map[string]any{"code": "SYN0002", "message": se.Error(), "line": se.line, "pos": se.col, "token": se.near}})
	}
	return writeError(w, http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties",
		map[string]any{"code": "SemanticError", "message": "A semantic error occurred.",
			"innererror": map[string]any{"code": "SEM0100", "message": err.Error()}})
}

// throttled answers 429 with Retry-After in whole seconds (rounded up).
func throttled(w http.ResponseWriter, wait time.Duration, msg string) int {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	return writeError(w, http.StatusTooManyRequests, "ThrottledError", msg, nil)
}

// writeError writes a OneAPI error object.
func writeError(w http.ResponseWriter, status int, code, msg string, inner map[string]any) int {
	e := map[string]any{"code": code, "message": msg, "correlationId": "00000000-0000-0000-0000-000000000000"}
	if inner != nil {
		e["innererror"] = inner
	}
	return writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
	return status
}

var isoDuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// parseTimespan8601 reads the body's timespan: "start/end" in RFC 3339, or
// an ISO 8601 duration back from now (P30D, PT2H). Empty means no bound.
func parseTimespan8601(s string, now time.Time) (time.Time, time.Time, error) {
	if s == "" {
		return time.Time{}, time.Time{}, nil
	}
	if a, b, ok := strings.Cut(s, "/"); ok {
		from, err1 := time.Parse(time.RFC3339Nano, a)
		to, err2 := time.Parse(time.RFC3339Nano, b)
		if err1 != nil || err2 != nil || !from.Before(to) {
			return time.Time{}, time.Time{}, fmt.Errorf("the timespan %q is not start/end in ISO 8601", s)
		}
		return from, to, nil
	}
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return time.Time{}, time.Time{}, fmt.Errorf("the timespan %q is not an ISO 8601 duration", s)
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1])
			d += time.Duration(n) * unit
		}
	}
	return now.Add(-d), now.Add(time.Nanosecond), nil
}
