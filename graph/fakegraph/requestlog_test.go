package fakegraph

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// answerWatcher is a ResponseWriter that records, when the answer is
// written, how many requests the server has logged.
type answerWatcher struct {
	*httptest.ResponseRecorder
	srv    *Server
	logged int
}

func (w *answerWatcher) WriteHeader(status int) {
	w.logged = len(w.srv.Requests())
	w.ResponseRecorder.WriteHeader(status)
}

// A client that holds its answer finds its request in Requests: tests read
// the log right after a call returns.
func TestARequestIsLoggedBeforeItsAnswer(t *testing.T) {
	srv := New(fixture(t), WithNow(newClock().Now), WithThrottle(0, 0))
	for _, path := range []string{"/v1.0/users/" + adaID, "/v1.0/nowhere"} {
		w := &answerWatcher{ResponseRecorder: httptest.NewRecorder(), srv: srv}
		before := len(srv.Requests())
		srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.logged != before+1 {
			t.Errorf("GET %s: %d requests logged when the answer was written, want %d", path, w.logged, before+1)
		}
		if reqs := srv.Requests(); reqs[len(reqs)-1].Status != w.Code {
			t.Errorf("GET %s: logged status %d, answered %d", path, reqs[len(reqs)-1].Status, w.Code)
		}
	}
}
