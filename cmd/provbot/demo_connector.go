package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// localConnector is the demo's built-in Bot Connector, as the Bot Framework
// Emulator provides one: the bot posts its replies here exactly as it would
// to Teams (POST/PUT /v3/conversations/{id}/activities[/{id}]), and the chat
// page reads them back with a long poll.
type localConnector struct {
	mu      sync.Mutex
	convs   map[string]*convLog
	maxBody int64
	wait    time.Duration
}

// convLog is one conversation's activities, in the order the bot sent them.
type convLog struct {
	items   []connectorItem
	changed chan struct{} // closed and replaced on every append
}

// connectorItem is one thing the bot did in a conversation.
type connectorItem struct {
	Seq      int             `json:"seq"`
	Op       string          `json:"op"` // "post" or "put"
	Activity json.RawMessage `json:"activity"`
}

// maxConversationItems bounds a conversation's memory.
const maxConversationItems = 500

func newLocalConnector() *localConnector {
	return &localConnector{convs: map[string]*convLog{}, maxBody: 1 << 20, wait: 20 * time.Second}
}

func (lc *localConnector) conv(id string) *convLog {
	c := lc.convs[id]
	if c == nil {
		c = &convLog{changed: make(chan struct{})}
		lc.convs[id] = c
	}
	return c
}

// connectorHandler serves the Bot Connector paths under /connector/.
func (lc *localConnector) connectorHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /connector/v3/conversations/{conversationId}/activities[/{activityId}]
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/connector/v3/conversations/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		parts := strings.Split(rest, "/")
		if len(parts) < 2 || len(parts) > 3 || parts[1] != "activities" {
			http.NotFound(w, r)
			return
		}
		convID, err := url.PathUnescape(parts[0])
		if err != nil {
			http.Error(w, "bad conversation id", http.StatusBadRequest)
			return
		}
		activityID := ""
		if len(parts) == 3 {
			if activityID, err = url.PathUnescape(parts[2]); err != nil {
				http.Error(w, "bad activity id", http.StatusBadRequest)
				return
			}
		}
		var op string
		switch r.Method {
		case http.MethodPost:
			op = "post"
		case http.MethodPut:
			if activityID == "" {
				http.Error(w, "PUT needs an activity id", http.StatusBadRequest)
				return
			}
			op = "put"
		default:
			w.Header().Set("Allow", "POST, PUT")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, lc.maxBody+1))
		if err != nil || int64(len(body)) > lc.maxBody {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		var act map[string]any
		if err := json.Unmarshal(body, &act); err != nil {
			http.Error(w, "body is not a JSON activity", http.StatusBadRequest)
			return
		}
		id := activityID
		if op == "post" {
			id = newID()
		}
		act["id"] = id
		raw, _ := json.Marshal(act)
		lc.append(convID, op, raw)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": id})
	})
}

func (lc *localConnector) append(convID, op string, act json.RawMessage) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	c := lc.conv(convID)
	seq := 1
	if n := len(c.items); n > 0 {
		seq = c.items[n-1].Seq + 1
	}
	c.items = append(c.items, connectorItem{Seq: seq, Op: op, Activity: act})
	if len(c.items) > maxConversationItems {
		c.items = c.items[len(c.items)-maxConversationItems:]
	}
	close(c.changed)
	c.changed = make(chan struct{})
}

// pollHandler serves GET /demo/conversations/{id}/activities?after=N: the
// items after N, waiting up to 20 s for one when there is none yet.
func (lc *localConnector) pollHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/demo/conversations/")
		convEsc, tail, ok2 := strings.Cut(rest, "/")
		if !ok || !ok2 || tail != "activities" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		convID, err := url.PathUnescape(convEsc)
		if err != nil {
			http.Error(w, "bad conversation id", http.StatusBadRequest)
			return
		}
		after, _ := strconv.Atoi(r.URL.Query().Get("after"))
		deadline := time.NewTimer(lc.wait)
		defer deadline.Stop()
		for {
			lc.mu.Lock()
			c := lc.conv(convID)
			var items []connectorItem
			for _, it := range c.items {
				if it.Seq > after {
					items = append(items, it)
				}
			}
			changed := c.changed
			lc.mu.Unlock()
			if len(items) > 0 {
				writePoll(w, items, items[len(items)-1].Seq)
				return
			}
			select {
			case <-changed:
			case <-deadline.C:
				writePoll(w, []connectorItem{}, after)
				return
			case <-r.Context().Done():
				return
			}
		}
	})
}

func writePoll(w http.ResponseWriter, items []connectorItem, next int) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "next": next})
}

// newID returns a random activity id.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
