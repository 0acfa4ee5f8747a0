package botframework_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// Load of BenchmarkAckUnderLoad: 500 activities from 50 senders, each
// sender posting its 10 one after the other as soon as the previous one is
// acknowledged, all senders at once.
const (
	ackSenders        = 50
	ackPerSender      = 10
	cpuWorkIterations = 33000 // SHA-256 of 1 KiB: about 25 ms of one core, as a lookup's CPU
)

// cpuWork does a fixed amount of CPU work, what a stub conversation turn
// costs.
func cpuWork() {
	var buf [1024]byte
	for i := range cpuWorkIterations {
		buf[0] = byte(i)
		sum := sha256.Sum256(buf[:])
		buf[1] = sum[0]
	}
}

// BenchmarkAckUnderLoad measures how long the Bot Connector waits for the
// 200 of each activity while the turns of all the others work. The server
// runs in its own process (as provbot serve does; the load generator, the
// fake Bot Connector, token issuer and token endpoint stay in the
// benchmark's process) with a stub handler that does a fixed amount of CPU
// work per activity (turn-cpu-ms, as a lookup's) and then replies through
// the fake connector. "naive" is the behaviour before the turn pool and
// the verified-token cache (every turn at once, every token verified in
// full); the others bound the turns working at once.
// Each iteration is one burst of 500 activities on a fresh server process,
// after a warm-up of one activity per sender.
// Reported: acknowledgement percentiles, the time until the last reply, the
// server's peak heap, and the machine's 1-minute load average at the end
// (the machine is shared).
func BenchmarkAckUnderLoad(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	// What one turn's work costs in CPU time (not wall time: the machine
	// is shared).
	c0, t0 := processCPU(), time.Now()
	for range 5 {
		cpuWork()
	}
	turnCPU := (processCPU() - c0) / 5
	if turnCPU == 0 {
		turnCPU = time.Since(t0) / 5
	}
	for _, mode := range []struct {
		name     string
		maxTurns int
		naive    bool
		noWork   bool
	}{
		{"naive", -1, true, false},
		{fmt.Sprintf("pool=%d (default: GOMAXPROCS-1)", max(procs-1, 1)), 0, false, false},
		{fmt.Sprintf("pool=%d", procs), procs, false, false},
		{fmt.Sprintf("pool=%d", 2*procs), 2 * procs, false, false},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var acks []time.Duration
			var done, peakHeap float64
			for range b.N {
				a, d, p := ackBurst(b, mode.maxTurns, mode.naive, mode.noWork)
				acks = append(acks, a...)
				done += d.Seconds()
				peakHeap = max(peakHeap, p)
			}
			slices.Sort(acks)
			b.ReportMetric(ms(percentile(acks, 0.50)), "ack-p50-ms")
			b.ReportMetric(ms(percentile(acks, 0.99)), "ack-p99-ms")
			b.ReportMetric(ms(acks[len(acks)-1]), "ack-max-ms")
			b.ReportMetric(done/float64(b.N), "last-reply-s")
			b.ReportMetric(peakHeap/(1<<20), "peak-heap-MiB")
			b.ReportMetric(loadAverage(), "loadavg")
			b.ReportMetric(ms(turnCPU), "turn-cpu-ms")
		})
	}
}

// The server process of BenchmarkAckUnderLoad is this test binary run with
// these variables set (TestAckServerProcess).
const (
	ackEnvMetadata  = "PROVBOT_ACK_SERVER_METADATA"
	ackEnvAuthority = "PROVBOT_ACK_SERVER_AUTHORITY"
	ackEnvMaxTurns  = "PROVBOT_ACK_SERVER_MAX_TURNS"
	ackEnvNaive     = "PROVBOT_ACK_SERVER_NAIVE"
	ackEnvNoWork    = "PROVBOT_ACK_SERVER_NO_WORK"
)

// TestAckServerProcess is the server process of BenchmarkAckUnderLoad; it
// does nothing unless the benchmark started it. It prints its URL, serves
// until its stdin closes, then prints its peak heap.
func TestAckServerProcess(t *testing.T) {
	metadata := os.Getenv(ackEnvMetadata)
	if metadata == "" {
		t.Skip("the server process of BenchmarkAckUnderLoad")
	}
	maxTurns, _ := strconv.Atoi(os.Getenv(ackEnvMaxTurns))
	noWork := os.Getenv(ackEnvNoWork) != ""
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, t *botframework.Turn) error {
		if !noWork {
			cpuWork()
		}
		_, err := t.ReplyText(ctx, "done")
		return err
	}}
	srv, err := botframework.NewServer(botframework.Config{
		MicrosoftAppId: testAppID, MicrosoftAppPassword: testSecret,
		ToBotFromChannelOpenIdMetadataUrl: metadata, ToChannelFromBotLoginUrl: os.Getenv(ackEnvAuthority),
	}, handler, botframework.Options{ListenAddr: "0.0.0.0:3978", Logger: slog.New(slog.DiscardHandler), MaxConcurrentTurns: maxTurns})
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv(ackEnvNaive) != "" {
		botframework.ForgetVerifiedTokens(srv)
	}
	if err := srv.Ready(context.Background()); err != nil { // keys loaded, as in production
		t.Fatal(err)
	}
	web := httptest.NewServer(srv.Handler())
	stopSampling := sampleHeap()
	fmt.Printf("listening %s\n", web.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
	peak := stopSampling()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = srv.Shutdown(ctx)
	web.Close()
	fmt.Printf("peak-heap %d\n", int64(peak))
}

// ackBurst runs one burst against a fresh server process and returns every
// acknowledgement's latency, the time until the last reply and the
// server's peak heap in bytes.
func ackBurst(b *testing.B, maxTurns int, naive, noWork bool) ([]time.Duration, time.Duration, float64) {
	b.StopTimer()
	issuer := bftest.NewIssuer(b, bftest.IssuerOptions{AppID: testAppID})
	connector := bftest.NewConnector(b)
	tokens := bftest.NewTokenEndpoint(b, bftest.TokenEndpointOptions{ClientID: testAppID, ClientSecret: testSecret})

	cmd := exec.Command(os.Args[0], "-test.run=^TestAckServerProcess$", "-test.v")
	cmd.Env = append(os.Environ(), ackEnvMetadata+"="+issuer.MetadataURL, ackEnvAuthority+"="+tokens.Authority,
		ackEnvMaxTurns+"="+strconv.Itoa(maxTurns))
	if naive {
		cmd.Env = append(cmd.Env, ackEnvNaive+"=1")
	}
	if noWork {
		cmd.Env = append(cmd.Env, ackEnvNoWork+"=1")
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	var base string
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "listening "); ok {
			base = u
			break
		}
	}
	if base == "" {
		_ = cmd.Process.Kill()
		b.Fatal("the server process did not start")
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: ackSenders}}
	defer client.CloseIdleConnections()
	auth := issuer.Bearer(connector.URL) // the Bot Connector reuses its token
	body := loadActivity(b, "teams/teams-message-personal.json", func(m map[string]any) { m["serviceUrl"] = connector.URL })
	bodies := make([][]byte, ackSenders*ackPerSender)
	for i := range bodies {
		bodies[i] = bytes.Replace(body, []byte(`"id":"1485983408511"`), []byte(`"id":"`+strconv.Itoa(i)+`"`), 1)
	}

	// Warm up as a running server is: one activity per sender, connections
	// open, keys and token fetched.
	post := func(body []byte) (time.Duration, bool) {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/messages", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("Authorization", auth)
		t0 := time.Now()
		resp, err := client.Do(req)
		d := time.Since(t0)
		if resp != nil {
			resp.Body.Close()
		}
		return d, err == nil && resp.StatusCode == http.StatusOK
	}
	var warm sync.WaitGroup
	for range ackSenders {
		warm.Go(func() { post(body) })
	}
	warm.Wait()
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer wcancel()
	if _, err := connector.Wait(wctx, ackSenders); err != nil {
		b.Fatal(err)
	}

	start := time.Now()
	b.StartTimer()
	acks := make([]time.Duration, len(bodies))
	var wg sync.WaitGroup
	var failed atomic.Int32
	for s := range ackSenders {
		wg.Go(func() {
			for k := range ackPerSender {
				i := s*ackPerSender + k
				var ok bool
				if acks[i], ok = post(bodies[i]); !ok {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := connector.Wait(ctx, ackSenders+len(bodies)); err != nil {
		b.Fatal(err)
	}
	last := time.Since(start)
	b.StopTimer()
	stdin.Close()
	var peak float64
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), "peak-heap "); ok {
			peak, _ = strconv.ParseFloat(v, 64)
		}
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("server process: %v", err)
	}
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d activities were not acknowledged with 200", n)
	}
	return acks, last, peak
}

// sampleHeap samples the live heap every 10 ms until the returned function
// is called, which returns the peak in bytes.
func sampleHeap() func() float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(stop)
		<-done
		return float64(peak.Load())
	}
}

// percentile returns the p-quantile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// loadAverage returns the 1-minute load average (0 where unknown).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}

// BenchmarkAckPath measures the work before the 200 of one authenticated
// activity, in process: the token check, reading the body, decoding its
// routing members, the admission checks. The activity is a typing
// indicator, which is acknowledged and ignored, so that no turn's work
// (the full decode, the handler) is counted; a message's 200 costs the
// same plus handing it to the pool. "token verified each time" is the
// naive baseline's token check.
func BenchmarkAckPath(b *testing.B) {
	for _, naive := range []bool{true, false} {
		name := "token remembered"
		if naive {
			name = "token verified each time"
		}
		b.Run(name, func(b *testing.B) {
			issuer := bftest.NewIssuer(b, bftest.IssuerOptions{AppID: testAppID})
			connector := bftest.NewConnector(b)
			srv, err := botframework.NewServer(botframework.Config{
				MicrosoftAppId: testAppID, MicrosoftAppPassword: testSecret, ToBotFromChannelOpenIdMetadataUrl: issuer.MetadataURL,
			}, botframework.HandlerFuncs{}, botframework.Options{ListenAddr: "0.0.0.0:3978", Logger: slog.New(slog.DiscardHandler),
				TokenSource: botframework.TokenSourceFunc(func(context.Context) (string, error) { return "t", nil })})
			if err != nil {
				b.Fatal(err)
			}
			if naive {
				botframework.ForgetVerifiedTokens(srv)
			}
			if err := srv.Ready(context.Background()); err != nil {
				b.Fatal(err)
			}
			auth := issuer.Bearer(connector.URL)
			body := loadActivity(b, "teams/teams-message-personal.json", func(m map[string]any) {
				m["serviceUrl"] = connector.URL
				m["type"] = botframework.ActivityTyping
			})
			h := srv.Handler()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", auth)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
			b.StopTimer()
			if err := srv.Shutdown(context.Background()); err != nil {
				b.Fatal(err)
			}
		})
	}
}
