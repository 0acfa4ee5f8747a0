package botframework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

// messages serves the messaging endpoint. Status codes: 405 for other
// methods, 503 while shutting down, 413 over the size cap, 400 for a body
// that is not an activity, 401 when authentication fails (403 for a tenant
// not allowed), 200 for activities handed to OnActivity or ignored, and the
// handler's status for invokes.
func (s *Server) messages(c *gin.Context) {
	if c.Request.Method != http.MethodPost {
		c.Header("Allow", http.MethodPost)
		c.Status(http.StatusMethodNotAllowed)
		return
	}
	if !s.begin() {
		c.Status(http.StatusServiceUnavailable)
		return
	}
	background := false
	defer func() {
		if !background {
			s.inflight.Done()
		}
	}()

	act, status, err := s.decode(c)
	if err != nil {
		s.logger.Warn("rejected request body", "status", status, "err", err)
		c.Status(status)
		return
	}
	ctx := c.Request.Context()
	id, err := s.auth.Authenticate(ctx, c.GetHeader("Authorization"), act)
	if err != nil {
		s.rejectAuth(ctx, c, act, err)
		return
	}
	turn := s.newTurn(act, id)

	switch {
	case act.Type == ActivityInvoke:
		s.invoke(c, turn)
	case dispatchedTypes[act.Type]:
		// Acknowledge first: the handler's work never delays the 200.
		c.Status(http.StatusOK)
		c.Writer.WriteHeaderNow()
		background = true
		go s.runActivity(ctx, turn)
	default:
		turn.Logger.Debug("ignored activity of unknown type")
		c.Status(http.StatusOK)
	}
}

// decode reads and decodes the activity, returning the status to answer
// when it is not acceptable.
func (s *Server) decode(c *gin.Context) (*Activity, int, error) {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return nil, http.StatusBadRequest, fmt.Errorf("content type %q is not application/json", ct)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("body larger than %d bytes", s.maxBodyBytes)
		}
		return nil, http.StatusBadRequest, fmt.Errorf("read body: %w", err)
	}
	var act Activity
	if err := json.Unmarshal(body, &act); err != nil {
		return nil, http.StatusBadRequest, fmt.Errorf("decode activity: %w", err)
	}
	if act.Type == "" {
		return nil, http.StatusBadRequest, errors.New("activity has no type")
	}
	return &act, 0, nil
}

// rejectAuth logs why authentication failed and answers 401 (403 for a
// tenant outside the allow-list) with no detail.
func (s *Server) rejectAuth(ctx context.Context, c *gin.Context, act *Activity, err error) {
	status := http.StatusUnauthorized
	level := slog.LevelWarn
	var check AuthCheck
	var ae *AuthError
	if errors.As(err, &ae) {
		check = ae.Check
		if ae.Check == CheckTenant {
			status = http.StatusForbidden
		}
		if errors.Is(err, errNoKeys) {
			level = slog.LevelError // the key endpoint is unreachable: nobody gets in
		}
	}
	s.logger.Log(ctx, level, "rejected unauthenticated request",
		"check", string(check), "err", err,
		"activity_id", act.ID, "activity_type", act.Type, "channel_id", act.ChannelID)
	c.Status(status)
}

// newTurn builds the Turn of an authenticated activity.
func (s *Server) newTurn(act *Activity, id Identity) *Turn {
	return &Turn{
		Activity: act,
		Identity: id,
		Logger: s.logger.With(
			"activity_id", act.ID,
			"activity_type", act.Type,
			"conversation_id", act.Conversation.ID,
		),
		connector: s.connector,
		now:       s.now,
	}
}

// runActivity runs OnActivity after the acknowledgement, detached from the
// request's cancellation but with its own deadline.
func (s *Server) runActivity(reqCtx context.Context, t *Turn) {
	defer s.inflight.Done()
	ctx, cancel := s.turnContext(context.WithoutCancel(reqCtx), s.turnTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			t.Logger.Error("panic in activity handler", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	start := s.now()
	if err := s.handler.OnActivity(ctx, t); err != nil {
		t.Logger.Error("activity handler failed", "err", err, "duration", s.now().Sub(start))
		return
	}
	t.Logger.Debug("activity handled", "duration", s.now().Sub(start))
}

// invokeResult is what an OnInvoke call produced.
type invokeResult struct {
	resp InvokeResponse
	err  error
}

// invoke runs OnInvoke within the request and writes its response. The
// handler runs in its own goroutine so that the answer is written by the
// deadline even if the handler ignores its context.
func (s *Server) invoke(c *gin.Context, t *Turn) {
	ctx, cancel := s.turnContext(c.Request.Context(), s.invokeTimeout)
	defer cancel()
	done := make(chan invokeResult, 1)
	s.inflight.Add(1)
	go func() {
		defer s.inflight.Done()
		defer func() {
			if v := recover(); v != nil {
				t.Logger.Error("panic in invoke handler", "panic", v, "stack", string(debug.Stack()))
				done <- invokeResult{err: fmt.Errorf("invoke handler panicked: %v", v)}
			}
		}()
		resp, err := s.handler.OnInvoke(ctx, t)
		done <- invokeResult{resp: resp, err: err}
	}()

	var res invokeResult
	select {
	case res = <-done:
	case <-ctx.Done():
		res = invokeResult{err: fmt.Errorf("invoke handler did not answer in time: %w", ctx.Err())}
	}
	if res.err != nil {
		t.Logger.Error("invoke handler failed", "name", t.Activity.Name, "err", res.err)
		s.writeInvoke(c, t, InvokeFailure(http.StatusInternalServerError, "InternalServerError", "The bot could not process this action."))
		return
	}
	s.writeInvoke(c, t, res.resp)
}

// writeInvoke writes r as the HTTP answer: its status, and its JSON with
// statusCode filled in as the body.
func (s *Server) writeInvoke(c *gin.Context, t *Turn, r InvokeResponse) {
	r.StatusCode = r.status()
	body, err := json.Marshal(r)
	if err != nil {
		t.Logger.Error("encode invoke response", "err", err)
		c.Status(http.StatusInternalServerError)
		return
	}
	c.Data(r.StatusCode, "application/json; charset=utf-8", body)
}
