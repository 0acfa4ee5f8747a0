package bot

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// writeTimeout bounds one write to Graph: on-demand provisioning usually
// takes under 30 seconds (Microsoft). It runs apart from the click that
// asked for it, so that the click's own deadline (Teams waits 15 s for a
// card) never cuts a write short.
const writeTimeout = 60 * time.Second

// runHold is how long a running action holds its token across replicas.
const runHold = 90 * time.Second

// runOnce runs a confirmed action once for its token, across replicas:
// a second click while it runs waits for the same result, and clicks
// within the confirmation's lifetime after it succeeded get that result
// (shared true) instead of a second write. A failed run is not kept, so
// the person can try again. When the click's deadline comes first,
// running is true and the action goes on; clicking again shows its result.
func (c *Conversation) runOnce(ctx context.Context, token string, fn func(ctx context.Context) ([]byte, error)) (v []byte, shared, running bool, err error) {
	type result struct {
		v      []byte
		shared bool
		err    error
	}
	done := make(chan result, 1)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	go func() {
		defer cancel()
		v, shared, err := c.actions.Coalesce(wctx, runKey(token), runHold, confirmTTL, fn)
		done <- result{v, shared, err}
	}()
	wait := 25 * time.Second
	if dl, ok := ctx.Deadline(); ok {
		wait = time.Until(dl) - 1500*time.Millisecond
	}
	timer := time.NewTimer(max(wait, 0))
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.shared, false, r.err
	case <-timer.C:
		return nil, false, true, nil
	}
}

// statusError is a Graph error with its HTTP status (graph.Error).
type statusError interface{ HTTPStatus() int }

// retryError is a Graph error that says how long to wait.
type retryError interface{ RetryWait() time.Duration }

// httpStatus is err's HTTP status, 0 when unknown.
func httpStatus(err error) int {
	var se statusError
	if errors.As(err, &se) {
		return se.HTTPStatus()
	}
	return 0
}

// retryWait is how long Graph asked to wait, 0 when it did not say.
func retryWait(err error) time.Duration {
	var re retryError
	if errors.As(err, &re) {
		return re.RetryWait()
	}
	return 0
}

// requestIDOf is the Graph request-id an error carries, if any.
func requestIDOf(err error) string {
	var ri interface{ GraphRequestID() string }
	if errors.As(err, &ri) {
		return ri.GraphRequestID()
	}
	return ""
}

// writeRefusal explains in plain words why Graph refused a write, and
// whether trying the same confirmation again can work.
func writeRefusal(err error, what, app string) (text string, retry bool) {
	switch {
	case errors.Is(err, errOwnOnDemand):
		return "Microsoft allows only 5 of these every 10 seconds for the whole organization, and provbot has just sent that many. Try again in a few seconds.", true
	case errors.Is(err, diagnose.ErrThrottled):
		wait := retryWait(err)
		s := "Microsoft allows only a few of these at a time for the whole organization (5 every 10 seconds), and that limit was reached just now. "
		if wait > 0 {
			return s + "Try again in " + secondsWords(wait) + ".", true
		}
		return s + "Try again in a few seconds.", true
	case errors.Is(err, errJobBusy) || httpStatus(err) == http.StatusConflict:
		return "Microsoft Entra is already busy with " + app + ": it provisions one person on demand at a time per app, or the app's job is changing right now. Try again in a minute.", true
	case errors.Is(err, diagnose.ErrForbidden):
		return "Microsoft Graph refused: provbot's app does not have the Synchronization.ReadWrite.All permission. An admin needs to grant it; until then provbot offers no actions.", false
	case errors.Is(err, diagnose.ErrNotFound):
		return "The person or " + app + "'s provisioning job no longer exists, so nothing was done.", false
	case errors.Is(err, context.DeadlineExceeded):
		return "Microsoft Entra did not answer in time, so I can't tell whether it was done. Look at the account again in a minute before trying again.", false
	case errors.Is(err, diagnose.ErrInvalid):
		return "Microsoft Entra refused to " + what + ": " + err.Error(), false
	default:
		return "Microsoft Graph did not answer, so nothing was done. Try again in a minute.", true
	}
}

// secondsWords says a wait in whole seconds: "1 second", "7 seconds".
func secondsWords(d time.Duration) string {
	n := int((d + time.Second - 1) / time.Second)
	if n <= 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}

// refuse records a refused action and returns the card that says why.
func (c *Conversation) refuse(ctx context.Context, t *botframework.Turn, a asker, action, subject, app, reason, title, text string) card.AdaptiveCard {
	c.auditAction(ctx, t, a, action, subject, app, "refused", "", reason)
	m := messageCard(title, text)
	m.Private = true
	return m
}
