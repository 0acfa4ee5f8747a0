package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/provbot/provbot/diagnose"
)

// runStatus is `provbot status [APP]`: the app's Current Status panel, or
// every provisioning app's.
func runStatus(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "status", "[APP] [--format text|json] [--demo]")
	var (
		format, tz string
		sf         sourceFlags
	)
	fs.StringVar(&format, "format", "text", "output `format`: text or json")
	fs.StringVar(&tz, "tz", "", "show times in this IANA `zone` (default: the local zone)")
	sf.register(fs, false)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError("give at most one app (quote names with spaces)")
	}
	if format != "text" && format != "json" {
		return usageError("--format must be text or json, not %q", format)
	}
	loc, err := zone(tz)
	if err != nil {
		return err
	}
	src, err := openSource(ctx, e, sf, cliLogger(e))
	if err != nil {
		return err
	}
	defer src.Close()
	c := src.client

	var apps []diagnose.App
	if len(pos) == 1 {
		a, err := findOneApp(ctx, c.FindApps, pos[0])
		if err != nil {
			return err
		}
		if sf.refresh || !a.JobsKnown {
			if a.Jobs, err = c.Jobs(ctx, a.ID); err != nil {
				return fmt.Errorf("read %s's provisioning job: %w", a.Name, err)
			}
			a.JobsKnown = true
		}
		apps = []diagnose.App{a}
	} else if apps, err = c.Apps(ctx); err != nil {
		return fmt.Errorf("list provisioning apps: %w", err)
	}
	now := e.now()
	type appStatus struct {
		ID     string              `json:"servicePrincipalId"`
		Name   string              `json:"name"`
		Jobs   int                 `json:"jobs"`
		Status *diagnose.AppStatus `json:"status,omitempty"`
	}
	var out []appStatus
	for _, a := range apps {
		s := appStatus{ID: a.ID, Name: a.Name, Jobs: len(a.Jobs)}
		if len(a.Jobs) > 0 {
			st := diagnose.StatusOf(&a.Jobs[0], a.InScope, now, loc)
			s.Status = &st
		}
		out = append(out, s)
	}
	if format == "json" {
		if out == nil {
			out = []appStatus{}
		}
		return encodeJSON(e.stdout, map[string]any{"generatedAt": now.UTC(), "apps": out})
	}
	if len(out) == 0 {
		_, err := fmt.Fprintln(e.stdout, "No app in this tenant has automatic provisioning set up.")
		return err
	}
	o := renderOptions{Color: isTerminal(e.stdout, e.getenv), Width: 80, Now: now, Loc: loc}
	out = forTerminal(out)
	var b strings.Builder
	for i, s := range out {
		if i > 0 {
			b.WriteString("\n")
		}
		if s.Status == nil {
			b.WriteString(painter(o.Color).paint(ansiBold, s.Name+" provisioning: ") + "not configured\n  Automatic provisioning was never set up for this app.\n")
			continue
		}
		b.WriteString(statusText(s.Name, *s.Status, o, painter(o.Color), 80))
		if s.Status.JobID != "" {
			b.WriteString("  Job ID: " + s.Status.JobID + "\n")
		}
		if s.Status.ActivityID != "" {
			b.WriteString("  Activity ID: " + s.Status.ActivityID + "\n")
		}
	}
	_, err = fmt.Fprint(e.stdout, b.String())
	return err
}
