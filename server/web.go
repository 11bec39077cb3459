package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// webFiles are the scanner page and the entry dashboard: plain HTML, CSS and JS, all
// served from the binary, nothing from another host.
//
//go:embed web
var webFiles embed.FS

// Paths of the web pages.
const (
	ScanPath      = "/scan"
	DashboardPath = "/dashboard"
	AssetsPath    = "/assets/"
)

// PageCSP is the Content-Security-Policy of the web pages: everything from this server,
// scripts only from files (no inline script or style), camera frames as blobs.
const PageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
	"media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// asset is one embedded file with its content type and entity tag.
type asset struct {
	name string
	data []byte
	typ  string
	etag string
}

// webAssets loads the embedded files once: content types by extension, entity tags from
// the contents, so browsers revalidate cheaply and never run a stale script.
func webAssets() map[string]*asset {
	assets := map[string]*asset{}
	fs.WalkDir(webFiles, "web", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := webFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(p, "web/")
		assets[name] = &asset{name: name, data: data, typ: contentType(name), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return assets
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// pages serves the scanner page, the dashboard, their assets and the endpoints only the
// pages need: decode a camera frame or an upload (in the server's shared decoder slots),
// a gate's counts.
type pages struct {
	responder
	counts   GateCounter // GateCounts; nil: not served
	decoders *decodeSlots
}

// routes adds the scanner page, the dashboard, their assets and the endpoints only the
// pages need (decode a camera frame, a gate's counts).
func (h pages) routes(mux *http.ServeMux) {
	assets := webAssets()
	page := func(name string) http.HandlerFunc {
		a := assets[name]
		return func(w http.ResponseWriter, r *http.Request) { servePage(w, r, a) }
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, ScanPath, http.StatusFound)
	})
	mux.HandleFunc("GET "+ScanPath, page("scan.html"))
	mux.HandleFunc("GET "+ScanPath+"/{address}", page("scan.html"))
	mux.HandleFunc("GET "+ScanWorkerPath, serveScanWorker(assets))
	mux.HandleFunc("GET "+DashboardPath, page("dashboard.html"))
	mux.HandleFunc("GET "+DashboardPath+"/{address}", page("dashboard.html"))
	mux.HandleFunc("GET "+AssetsPath+"{name}", func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[r.PathValue("name")]
		if !ok || strings.HasSuffix(a.name, ".html") {
			http.NotFound(w, r)
			return
		}
		serveAsset(w, r, a)
	})
	h.webAPIRoutes(mux)
}

// servePage serves an HTML page with the security headers of the pages.
func servePage(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	h.Set("Content-Security-Policy", PageCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
	serveAsset(w, r, a)
}

// serveAsset serves an embedded file: revalidated on every use (no-cache), answered with
// 304 when the browser's copy is current.
func serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	h.Set("Content-Type", a.typ)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", a.etag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.data))
}
