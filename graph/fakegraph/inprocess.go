package fakegraph

import (
	"errors"
	"net/http"
	"net/http/httptest"
)

// InProcess returns a transport that hands each request to the server's
// handler on the caller's goroutine, without sockets, so that a client
// and the fake can run inside a testing/synctest bubble: there every wait
// (a Latency fault, the reporting throttle, Retry-After) is on the
// bubble's fake clock, which jumps forward as soon as every goroutine is
// waiting, and CPU time costs no time at all. Use it with any base URL
// (it is never dialled).
func (s *Server) InProcess() http.RoundTripper { return handlerTransport{s.Handler()} }

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (resp *http.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			// TruncatedBody and a closed server abort the handler.
			resp, err = nil, errors.New("fakegraph: connection dropped")
		}
	}()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp = rec.Result()
	resp.Request = r
	return resp, nil
}
