package main

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"sync"
	"time"
)

// webFiles is the demo chat page: index.html, its scripts (app.js, and
// cards.js, the Adaptive Card renderer) and its style sheet. Plain files,
// no build step, nothing fetched from elsewhere.
//
//go:embed web
var webFiles embed.FS

// demoPageCSP lets the page load only its own files and talk only to its
// own origin: no inline script or style, no eval, no plugins, no framing.
// Trusted Types make any HTML-string sink (innerHTML and friends) throw, so
// directory data can never become markup.
const demoPageCSP = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'; require-trusted-types-for 'script'"

// webContentTypes are the types of the files the page is made of; files
// with other extensions are not served.
var webContentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
}

// webFile is one embedded file, ready to serve.
type webFile struct {
	name        string
	body        []byte
	contentType string
	etag        string
}

// loadWebFiles reads the embedded files once, keyed by base name.
var loadWebFiles = sync.OnceValue(func() map[string]webFile {
	files := map[string]webFile{}
	entries, err := fs.ReadDir(webFiles, "web")
	if err != nil {
		panic("demo page: " + err.Error()) // the directory is embedded at build time
	}
	for _, e := range entries {
		ctype, ok := webContentTypes[path.Ext(e.Name())]
		if e.IsDir() || !ok {
			continue
		}
		body, err := fs.ReadFile(webFiles, "web/"+e.Name())
		if err != nil {
			panic("demo page: " + err.Error())
		}
		sum := sha256.Sum256(body)
		files[e.Name()] = webFile{
			name:        e.Name(),
			body:        body,
			contentType: ctype,
			etag:        `"` + hex.EncodeToString(sum[:8]) + `"`,
		}
	}
	return files
})

// demoPageHandler serves the demo chat page: GET / is index.html and
// GET /static/{name} the page's other files. Every answer carries a strict
// Content-Security-Policy and X-Content-Type-Options: nosniff; other paths
// are 404 and other methods 405. Mount it at "/" beside the bot's
// endpoints.
func demoPageHandler() http.Handler {
	files := loadWebFiles()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		serveWebFile(w, r, files["index.html"])
	})
	mux.HandleFunc("GET /static/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		f, ok := files[name]
		if !ok || name == "index.html" {
			http.NotFound(w, r)
			return
		}
		serveWebFile(w, r, f)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", demoPageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		mux.ServeHTTP(w, r)
	})
}

// serveWebFile writes f with its content type and ETag; browsers
// revalidate on every load (the files change with the binary).
func serveWebFile(w http.ResponseWriter, r *http.Request, f webFile) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
}
