package graph

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
)

// JSON batching: up to 20 GET requests in one POST /$batch, answered
// together. The client batches requests that are many and small (a
// user's groups' app role assignments, every app's jobs for the catalog),
// so a wave of them costs one exchange per 20 instead of one each.
// Requests in a batch are throttled one by one, as if sent alone, so a
// part can fail (429 included) while the batch succeeds.
// https://learn.microsoft.com/graph/json-batching

// maxBatchParts is how many requests one batch may hold.
// https://learn.microsoft.com/graph/json-batching#batch-size-limitations
const maxBatchParts = 20

// batchConcurrency bounds the batches one call sends at once.
const batchConcurrency = 4

// opBatch is the batch exchange itself.
var opBatch = operation{name: "send a JSON batch", route: "POST /$batch"}

// batchPart is one GET request of a batch.
type batchPart struct {
	op     operation
	url    string            // relative to the version: /groups/{id}/appRoleAssignments?$top=999
	header map[string]string // e.g. ConsistencyLevel
}

// batchAnswer is the answer to one part: its body, or an *Error.
type batchAnswer struct {
	body []byte
	err  error
}

// relURL builds a batch part's URL from a path and query options (sent
// unencoded where Graph accepts them so, as in the documentation's
// examples; values are escaped).
func relURL(path string, opts ...[2]string) string {
	var b strings.Builder
	b.WriteString(path)
	for i, o := range opts {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(o[0])
		b.WriteByte('=')
		b.WriteString(queryEscape(o[1]))
	}
	return b.String()
}

// queryEscape escapes a query value, keeping the characters Graph's own
// URLs keep readable.
func queryEscape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-_.~,$()'/:", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// batchGet sends parts to base (the v1.0 or beta URL) in batches of at
// most 20, a few batches at once, and returns one answer per part in
// order. Parts throttled or unavailable (429, 503, 504) are sent again in
// a later batch, honouring Retry-After within the caller's deadline, up
// to the client's retry limit. A batch that fails as a whole fails each
// of its parts with its error.
func (c *Client) batchGet(ctx context.Context, base string, parts []batchPart) []batchAnswer {
	return c.batchGetPaced(ctx, base, parts, nil)
}

// paceFunc waits before the k-th batch of a call goes out (0-based), to
// keep a long series of batches within Graph's rate limits.
type paceFunc func(ctx context.Context, k int) error

// batchGetPaced is batchGet with each batch sent only once pace allows.
func (c *Client) batchGetPaced(ctx context.Context, base string, parts []batchPart, pace paceFunc) []batchAnswer {
	out := make([]batchAnswer, len(parts))
	todo := make([]int, len(parts))
	for i := range todo {
		todo[i] = i
	}
	for attempt := 0; len(todo) > 0; attempt++ {
		var (
			mu    sync.Mutex
			retry []int
			wait  time.Duration
			wg    sync.WaitGroup
		)
		sem := make(chan struct{}, batchConcurrency)
		for start, k := 0, 0; start < len(todo); start, k = start+maxBatchParts, k+1 {
			chunk := todo[start:min(start+maxBatchParts, len(todo))]
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				var answers []batchAnswer
				if pace != nil {
					if err := pace(ctx, k); err != nil {
						answers = make([]batchAnswer, len(chunk))
						for j := range answers {
							answers[j].err = toError(opBatch, err, nil)
						}
					}
				}
				if answers == nil {
					answers = c.sendBatch(ctx, base, parts, chunk)
				}
				mu.Lock()
				defer mu.Unlock()
				for k, i := range chunk {
					out[i] = answers[k]
					var e *Error
					if asError(answers[k].err, &e) && e.Status != 0 && retryable(e) && attempt < c.cfg.maxRetries {
						retry = append(retry, i)
						wait = max(wait, e.RetryAfter, backoff(attempt))
					}
				}
			})
		}
		wg.Wait()
		if len(retry) == 0 {
			break
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			break
		}
		if err := c.cfg.sleep(ctx, wait); err != nil {
			break
		}
		todo = retry
	}
	return out
}

// sendBatch sends the parts idx of parts as one batch.
func (c *Client) sendBatch(ctx context.Context, base string, parts []batchPart, idx []int) []batchAnswer {
	answers := make([]batchAnswer, len(idx))
	fail := func(err error) []batchAnswer {
		for k := range answers {
			answers[k].err = err
		}
		return answers
	}
	type request struct {
		ID      string            `json:"id"`
		Method  string            `json:"method"`
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers,omitempty"`
	}
	reqs := make([]request, len(idx))
	for k, i := range idx {
		reqs[k] = request{ID: strconv.Itoa(k + 1), Method: http.MethodGet, URL: parts[i].url, Headers: parts[i].header}
	}
	payload, err := json.Marshal(map[string]any{"requests": reqs})
	if err != nil {
		return fail(&Error{Op: opBatch.name, Code: CodeInternal, Message: err.Error(), kind: ErrUnavailable})
	}
	var body []byte
	err = c.sendWithPolicy(ctx, opBatch, nil, 0, func(ctx context.Context) error {
		info := abstractions.NewRequestInformation()
		info.Method = abstractions.POST
		info.UrlTemplate = "{+baseurl}/$batch"
		// The adapter puts its own base URL into "baseurl"; the beta
		// batch needs the raw URL.
		info.PathParameters = map[string]string{"baseurl": base, "request-raw-url": base + "/$batch"}
		info.Headers.TryAdd("Accept", "application/json")
		info.SetStreamContentAndContentType(payload, "application/json")
		v, err := c.adapter.SendPrimitive(ctx, info, "[]byte", errorMapping)
		if err != nil {
			return err
		}
		body, _ = v.([]byte)
		return nil
	})
	if err != nil {
		return fail(err)
	}
	var resp struct {
		Responses []struct {
			ID      string            `json:"id"`
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return fail(malformed(opBatch.name, err))
	}
	got := make([]bool, len(idx))
	for _, r := range resp.Responses {
		k, err := strconv.Atoi(r.ID)
		if err != nil || k < 1 || k > len(idx) || got[k-1] {
			continue
		}
		got[k-1] = true
		op := parts[idx[k-1]].op
		c.cfg.observer.ObserveRequest(op.route, r.Status, 0)
		payload := []byte(r.Body)
		var encoded string
		if len(payload) > 0 && payload[0] == '"' && json.Unmarshal(payload, &encoded) == nil {
			if raw, err := base64.StdEncoding.DecodeString(encoded); err == nil {
				payload = raw
			}
		}
		if r.Status >= 200 && r.Status < 300 {
			answers[k-1].body = payload
			continue
		}
		answers[k-1].err = partError(op, r.Status, r.Headers, payload)
		if r.Status == http.StatusTooManyRequests {
			c.cfg.observer.ObserveThrottle(op.route)
		}
	}
	for k := range got {
		if !got[k] {
			answers[k].err = malformed(parts[idx[k]].op.name, fmt.Errorf("the batch answer has no response for request %d", k+1))
		}
	}
	return answers
}

// partError is the *Error for a failed part of a batch.
func partError(op operation, status int, header map[string]string, body []byte) *Error {
	e := &Error{Op: op.name, Status: status}
	var doc struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &doc) == nil {
		e.Code, e.Message, e.RequestID = doc.Error.Code, doc.Error.Message, doc.Error.InnerError.RequestID
	}
	for k, v := range header {
		if strings.EqualFold(k, "Retry-After") {
			e.RetryAfter = retryAfter(v, time.Now())
		}
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		e.Permission = op.permission
		if m := missingPermissionRE.FindStringSubmatch(e.Message); m != nil {
			e.Permission = m[1]
		}
	}
	return e
}

// asError is errors.As for *Error.
func asError(err error, e **Error) bool {
	if err == nil {
		return false
	}
	ge, ok := err.(*Error)
	if ok {
		*e = ge
	}
	return ok
}

// jsonValue decodes a part's JSON body into v.
func jsonValue(op operation, body []byte, v any) error {
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(v); err != nil {
		return malformed(op.name, err)
	}
	return nil
}
