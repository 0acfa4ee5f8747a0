package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/graph/fakegraph"
)

// TestDemoPointsEndUsersAtTheHelpDeskPersona runs `provbot demo` and asks,
// as an end user, about someone else: the answer names the cast's help-desk
// agent (the persona who may ask about anyone), never an end user, and the
// page's cast data says who that is.
func TestDemoPointsEndUsersAtTheHelpDeskPersona(t *testing.T) {
	cast := fakegraph.DemoCast()
	var helpDesk, endUsers []string
	for _, c := range cast {
		if c.Role == fakegraph.RoleHelpDesk {
			helpDesk = append(helpDesk, c.DisplayName)
		} else {
			endUsers = append(endUsers, c.DisplayName)
		}
	}
	if len(helpDesk) == 0 {
		t.Fatal("the demo cast has no help-desk agent")
	}

	demo := start(t, []string{"demo", "--addr", "127.0.0.1:0"}, map[string]string{})
	base := waitFor(t, "the demo URL", demo.stdout.String, regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+)/`))

	var page struct {
		Roles      string `json:"roles"`
		ServiceURL string `json:"serviceUrl"`
		TenantID   string `json:"tenantId"`
		Bot        struct{ ID, Name string }
		Cast       []struct {
			Name, UPN, ObjectID, Role string
		}
	}
	getJSON(t, base+"/demo/cast", &page)
	for _, name := range helpDesk {
		if !strings.Contains(page.Roles, name) {
			t.Errorf("the page's roles line %q does not name the help-desk agent %s", page.Roles, name)
		}
	}
	if !strings.Contains(page.Roles, "can ask about anyone") || !strings.Contains(page.Roles, "only about their own") {
		t.Errorf("the page's roles line %q does not say who may ask about whom", page.Roles)
	}

	// Megan Bowen, an end user, asks about Joni.
	var asker struct{ Name, UPN, ObjectID, Role string }
	for _, c := range page.Cast {
		if c.Role == fakegraph.RoleEndUser {
			asker = c
			break
		}
	}
	conv := "a:demo-roles-test"
	act := map[string]any{
		"type": "message", "id": "m1", "text": "why can't Joni Sherman get into ServiceNow?",
		"timestamp": time.Now().UTC().Format(time.RFC3339), "serviceUrl": page.ServiceURL, "channelId": "msteams",
		"from":         map[string]any{"id": "29:demo-" + asker.ObjectID, "name": asker.Name, "aadObjectId": asker.ObjectID},
		"conversation": map[string]any{"id": conv, "conversationType": "personal", "tenantId": page.TenantID},
		"recipient":    map[string]any{"id": page.Bot.ID, "name": page.Bot.Name},
		"channelData":  map[string]any{"tenant": map[string]any{"id": page.TenantID}},
	}
	body, _ := json.Marshal(act)
	res, err := http.Post(base+"/api/messages", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		t.Fatalf("POST /api/messages: %s", res.Status)
	}
	got := waitForReply(t, base, conv)
	m := regexp.MustCompile(`help desk \(([^)]*) in this demo\)`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("%s asked about someone else; the answer names no one to ask:\n%s", asker.Name, got)
	}
	if m[1] != strings.Join(helpDesk, " and ") {
		t.Errorf("the answer sends %s to %q, want the help-desk persona %s", asker.Name, m[1], strings.Join(helpDesk, " and "))
	}
	for _, name := range endUsers {
		if strings.Contains(m[1], name) {
			t.Errorf("the answer names the end user %s as the help desk", name)
		}
	}
}

// waitForReply polls the demo's connector until the bot has sent a
// message (not only typing) in conv, and returns what it sent.
func waitForReply(t *testing.T, base, conv string) string {
	t.Helper()
	after := 0
	var all strings.Builder
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var page struct {
			Items []struct {
				Seq      int
				Activity json.RawMessage
			} `json:"items"`
		}
		getJSON(t, fmt.Sprintf("%s/demo/conversations/%s/activities?after=%d", base, conv, after), &page)
		for _, it := range page.Items {
			after = it.Seq
			all.Write(it.Activity)
			var a struct{ Type string }
			_ = json.Unmarshal(it.Activity, &a)
			if a.Type == "message" {
				return all.String()
			}
		}
	}
	t.Fatalf("no message from the bot in %s:\n%s", conv, all.String())
	return ""
}

// getJSON decodes the JSON answer of a GET.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, res.Status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", url, err, b)
	}
}
