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

	"github.com/provbot/provbot/internal/logsafe"
)

// messages serves the messaging endpoint. Status codes: 405 for other
// methods, 503 while shutting down, 403 without authentication for a
// request from anywhere but this loopback server's own origin
// ([LocalOnly]), 400 for a content type that is not JSON (required
// without authentication), 401 when the token fails (before the body is read), 413 over the
// size cap, 400 for a body that is not an activity, 401 when the activity
// does not match what the token vouches for (403 for a tenant not allowed),
// 200 for activities handed to OnActivity or ignored, and the handler's
// status for invokes.
//
// The order is the defence against unauthenticated load: the token is
// checked from the Authorization header alone (and remembered until it
// expires), so a request without a valid token is refused before a byte of
// its body is read. Only then is the body read (capped) and its routing
// members decoded on their own (type, serviceUrl, channelId: what the
// token's serviceurl claim and key endorsements are checked against), and
// only an activity that matches is decoded in full: an invoke before its
// answer, any other activity by its turn, after the 200 (a member of the
// wrong JSON type then drops it with an error in the log).
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
	if s.auth.Disabled() {
		// Nothing vouches for the request: it must come from this
		// loopback server's own origin, as JSON (a page elsewhere can
		// send a form as text/plain without asking first).
		if err := checkLocalRequest(s.listenAddr, c.Request); err != nil {
			s.logger.Warn("rejected request from outside this loopback server", "err", err)
			c.Status(http.StatusForbidden)
			return
		}
		if c.GetHeader("Content-Type") == "" {
			s.rejectBody(c, http.StatusBadRequest, errors.New("content type is not application/json"))
			return
		}
	}
	if err := checkJSONContentType(c.GetHeader("Content-Type")); err != nil {
		s.rejectBody(c, http.StatusBadRequest, err)
		return
	}
	ctx := c.Request.Context()
	tok, err := s.auth.verifyToken(ctx, c.GetHeader("Authorization"))
	if err != nil {
		s.rejectAuth(ctx, c, err)
		return
	}
	body, status, err := s.readBody(c)
	if err != nil {
		s.rejectBody(c, status, err)
		return
	}
	routing, err := decodeRouting(body)
	if err != nil {
		s.rejectBody(c, http.StatusBadRequest, fmt.Errorf("decode activity: %w", err))
		return
	}
	if err := s.auth.checkRouting(tok, routing); err != nil {
		s.rejectAuth(ctx, c, err)
		return
	}
	id, err := s.auth.admit(tok, routing)
	if err != nil {
		s.rejectAuth(ctx, c, err)
		return
	}

	switch {
	case routing.Type == ActivityInvoke:
		act, err := decodeActivity(body, routing)
		if err != nil {
			s.rejectBody(c, http.StatusBadRequest, err)
			return
		}
		act.CallerID = id.CallerID
		s.invoke(c, s.newTurn(act, id))
	case dispatchedTypes[routing.Type]:
		// Acknowledge first: the handler's work never delays the 200,
		// and neither does decoding the whole activity (the turn does).
		if !s.dispatch(ctx, body, routing, id) {
			s.logger.Warn("too many activities waiting for a turn; answering 503", "activity_type", routing.Type)
			c.Header("Retry-After", "1")
			c.Status(http.StatusServiceUnavailable)
			return
		}
		background = true
		c.Status(http.StatusOK)
		c.Writer.WriteHeaderNow()
	default:
		s.logger.Debug("ignored activity of unknown type", "activity_type", logsafe.Cap(routing.Type))
		c.Status(http.StatusOK)
	}
}

// checkJSONContentType accepts a missing content type or application/json
// (with any parameters).
func checkJSONContentType(ct string) error {
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Errorf("content type %q is not application/json", logsafe.Cap(ct))
	}
	return nil
}

// readBody reads the body up to the size cap, returning the status to
// answer when it cannot.
func (s *Server) readBody(c *gin.Context) ([]byte, int, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("body larger than %d bytes", s.maxBodyBytes)
		}
		return nil, http.StatusBadRequest, fmt.Errorf("read body: %w", err)
	}
	return body, 0, nil
}

// decodeActivity decodes the whole activity and checks that it agrees with
// the routing members authentication checked.
func decodeActivity(body []byte, r activityRouting) (*Activity, error) {
	var act Activity
	if err := json.Unmarshal(body, &act); err != nil {
		return nil, fmt.Errorf("decode activity: %w", err)
	}
	if act.Type != r.Type || act.ServiceURL != r.ServiceURL || act.ChannelID != r.ChannelID || act.TenantID() != r.tenantID() {
		return nil, errors.New("decode activity: the routing members decode differently on a second reading")
	}
	return &act, nil
}

// rejectBody logs why a request body was refused and answers status.
func (s *Server) rejectBody(c *gin.Context, status int, err error) {
	s.logger.Warn("rejected request body", "status", status, "err", logsafe.Cap(err.Error()))
	c.Status(status)
}

// rejectAuth logs why authentication failed and answers 401 (403 for a
// tenant outside the allow-list) with no detail. Nothing of the request is
// logged but the check and the reason, each capped.
func (s *Server) rejectAuth(ctx context.Context, c *gin.Context, err error) {
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
	s.logger.Log(ctx, level, "rejected unauthenticated request", "check", string(check), "err", logsafe.Cap(err.Error()))
	c.Status(status)
}

// newTurn builds the Turn of an authenticated activity.
func (s *Server) newTurn(act *Activity, id Identity) *Turn {
	return &Turn{
		Activity: act,
		Identity: id,
		Logger: s.logger.With(
			"activity_id", logsafe.Cap(act.ID),
			"activity_type", logsafe.Cap(act.Type),
			"conversation_id", logsafe.Cap(act.Conversation.ID),
		),
		connector: s.connector,
		now:       s.now,
	}
}

// dispatch hands an authenticated activity to the pool (or starts its turn
// at once without one); it reports false when the pool's queue is full.
func (s *Server) dispatch(reqCtx context.Context, body []byte, r activityRouting, id Identity) bool {
	if s.pool == nil {
		go s.runActivity(reqCtx, body, r, id, nil)
		return true
	}
	return s.pool.submit(func(pl *place) { s.runActivity(reqCtx, body, r, id, pl) })
}

// runActivity decodes the whole activity and runs OnActivity on it, after
// the acknowledgement, on the turn's place in the pool (pl, nil without
// one), detached from the request's cancellation but with its own deadline,
// which starts when the turn does. An activity that does not decode (a
// member of the wrong JSON type) is logged and dropped: its 200 has gone.
func (s *Server) runActivity(reqCtx context.Context, body []byte, r activityRouting, id Identity, pl *place) {
	defer s.inflight.Done()
	act, err := decodeActivity(body, r)
	if err != nil {
		s.logger.Error("dropped an acknowledged activity that does not decode", "activity_type", logsafe.Cap(r.Type), "err", logsafe.Cap(err.Error()))
		return
	}
	act.CallerID = id.CallerID
	t := s.newTurn(act, id)
	ctx, cancel := s.turnContext(context.WithoutCancel(reqCtx), s.turnTimeout)
	defer cancel()
	ctx = withPlace(ctx, pl)
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
