package bot

import (
	"strings"
	"testing"
	"time"
)

// TestTheBusyNoteSaysTheWaitInPlainWords: the place in the queue and the
// wait, rounded to words people use, with no codes.
func TestTheBusyNoteSaysTheWaitInPlainWords(t *testing.T) {
	for _, tc := range []struct {
		w    QueueWait
		want string
	}{
		{QueueWait{Ahead: 0, Wait: 2 * time.Second}, "Busy: You're next, a few seconds."},
		{QueueWait{Ahead: 1, Wait: 12 * time.Second}, "Busy: 1 person ahead of you, about 10 seconds."},
		{QueueWait{Ahead: 14, Wait: 36 * time.Second}, "Busy: 14 people ahead of you, about 40 seconds."},
		{QueueWait{Ahead: 40, Wait: 58 * time.Second}, "Busy: 40 people ahead of you, about a minute."},
		{QueueWait{Ahead: 300, Wait: 3*time.Minute + 20*time.Second}, "Busy: 300 people ahead of you, about 3 minutes."},
	} {
		got := busyText(tc.w)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%+v: got %q, want it to start %q", tc.w, got, tc.want)
		}
	}
}
