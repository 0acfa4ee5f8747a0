package logsafe_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/provbot/provbot/internal/logsafe"
)

func TestCapKeepsShortValuesAndCutsLongOnesAtACharacter(t *testing.T) {
	if got := logsafe.Cap("kid-123"); got != "kid-123" {
		t.Errorf("Cap(short) = %q", got)
	}
	exact := strings.Repeat("a", logsafe.MaxBytes)
	if got := logsafe.Cap(exact); got != exact {
		t.Errorf("Cap of exactly MaxBytes changed it")
	}
	long := strings.Repeat("é", 850<<10/2) // 850 KiB of two-byte characters
	got := logsafe.Cap(long)
	if !utf8.ValidString(got) {
		t.Errorf("Cap cut inside a character: %q", got[logsafe.MaxBytes-4:])
	}
	if len(got) > logsafe.MaxBytes+40 || !strings.HasSuffix(got, " more bytes]") {
		t.Errorf("Cap(850 KiB) is %d bytes, ending %q", len(got), got[len(got)-30:])
	}
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

// TestReplaceAttrCapsEveryValueOfALine logs the values an attacker
// controls every way slog takes them, through a JSON handler as serve
// builds it.
func TestReplaceAttrCapsEveryValueOfALine(t *testing.T) {
	huge := strings.Repeat("k", 850<<10)
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: logsafe.ReplaceAttr})).
		With("conversation_id", huge)
	logger.Warn("rejected "+huge,
		"kid", huge,
		"err", errors.New("kid "+huge+" not found"),
		"url", stringer{huge},
		slog.Group("from", "name", huge),
		logsafe.StackKey, strings.Repeat("frame\n", 200),
	)
	line := buf.String()
	// Six capped values, the stack whole (1,200 bytes) and the keys.
	if len(line) > 6*(logsafe.MaxBytes+40)+1400+300 {
		t.Errorf("one log line is %d bytes", len(line))
	}
	if !strings.Contains(line, `"level":"WARN"`) {
		t.Errorf("the level changed: %.200s", line)
	}
	if strings.Count(line, "frame\\n") != 200 {
		t.Error("the stack trace was cut")
	}
}
