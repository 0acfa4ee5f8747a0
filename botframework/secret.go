package botframework

import (
	"fmt"
	"log/slog"
)

// redacted is what a [Secret] shows instead of its value.
const redacted = "[REDACTED]"

// Secret is a credential (the app password). It never shows its value:
// fmt, slog and encoding/json all print "[REDACTED]" (or "" when empty).
// Only [Secret.Reveal] returns it, for the one place that sends it.
type Secret string

// Reveal returns the secret's value. Call it only to put the secret on the
// wire, never to log or wrap it in an error.
func (s Secret) Reveal() string { return string(s) }

// String returns "[REDACTED]", or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns the redacted form for %#v.
func (s Secret) GoString() string { return fmt.Sprintf("botframework.Secret(%q)", s.String()) }

// Format prints the redacted form whatever the verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue implements [slog.LogValuer]: loggers see the redacted form.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText implements [encoding.TextMarshaler] with the redacted form,
// so a Config printed as JSON shows no secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
