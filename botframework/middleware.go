package botframework

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

// routes builds the gin engine: release mode, our own request logging and
// panic recovery, no gin defaults.
func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(s.logRequests, s.recoverPanics)
	e.Any("/api/messages", s.messages)
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	return e
}

// logRequests logs one line per request: method, path, status, duration.
// Headers (and so tokens) are never logged.
func (s *Server) logRequests(c *gin.Context) {
	start := s.now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	switch {
	case c.Request.URL.Path == "/healthz":
		level = slog.LevelDebug
	case status >= 500:
		level = slog.LevelError
	case status >= 400:
		level = slog.LevelWarn
	}
	s.logger.LogAttrs(c.Request.Context(), level, "http request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", s.now().Sub(start)),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
	)
}

// recoverPanics turns a panic in a request into a logged 500.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v)
		}
		s.logger.Error("panic while handling request", "panic", v, "path", c.Request.URL.Path, "stack", string(debug.Stack()))
		if !c.Writer.Written() {
			c.AbortWithStatus(http.StatusInternalServerError)
		} else {
			c.Abort()
		}
	}()
	c.Next()
}
