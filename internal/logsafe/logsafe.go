// Package logsafe caps what a log line carries from outside: a token's
// kid, an activity or conversation id, a user's name or a service URL
// arrive in requests anyone can send, and logging them whole lets one
// request write megabytes of log.
//
// Use [ReplaceAttr] in the slog handler options of every logger the
// binary builds (it caps every string and error value of every line, the
// lines of packages that never heard of logsafe included), and [Cap] where
// a value from a request is placed into text that is logged (an error
// message, a formatted string).
package logsafe

import (
	"log/slog"
	"strconv"
	"unicode/utf8"
)

// MaxBytes is the most of a value a log line carries: a few hundred bytes
// keeps every id, name and URL that is real whole, and any error message
// provbot or Graph writes, while a forged value is cut.
const MaxBytes = 512

// Cap returns s cut to at most MaxBytes bytes (at a character boundary)
// followed by a note of how many bytes were left out, or s itself when it
// is short enough.
func Cap(s string) string {
	if len(s) <= MaxBytes {
		return s
	}
	cut := MaxBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…[" + strconv.Itoa(len(s)-cut) + " more bytes]"
}

// StackKey is the key of a stack trace (debug.Stack()), the one long
// value provbot writes itself: ReplaceAttr leaves a value under it whole.
const StackKey = "stack"

// ReplaceAttr is a slog.HandlerOptions.ReplaceAttr that caps every string
// value, error and fmt.Stringer (but a level) of a line with Cap, the
// message included, except a stack trace under StackKey.
func ReplaceAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Key == StackKey {
		return a
	}
	v := a.Value
	switch v.Kind() {
	case slog.KindString:
		if s := v.String(); len(s) > MaxBytes {
			a.Value = slog.StringValue(Cap(s))
		}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case slog.Level:
		case error:
			a.Value = slog.StringValue(Cap(x.Error()))
		case interface{ String() string }:
			a.Value = slog.StringValue(Cap(x.String()))
		}
	}
	return a
}
