package logtest_test

import (
	"log/slog"
	"sync"
	"testing"

	"github.com/provbot/provbot/internal/logtest"
)

func TestRecordsAreTheJSONLinesWithTheMessage(t *testing.T) {
	var b logtest.Buffer
	log := slog.New(slog.NewJSONHandler(&b, nil))
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() { log.Info("lookup", "n", i) })
	}
	wg.Wait()
	log.Warn("other")
	b.Write([]byte("not json\n"))
	if got := len(b.Records("lookup")); got != 20 {
		t.Errorf("%d lookup records, want 20", got)
	}
	if recs := b.Records("other"); len(recs) != 1 || recs[0]["level"] != "WARN" {
		t.Errorf("other records = %v", recs)
	}
}
