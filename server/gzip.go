package server

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// GzipMinBytes is the smallest answer the server compresses: below it gzip's 18 bytes of
// frame and the work are not worth it.
const GzipMinBytes = 1024

// gzipLevel bounds the work of compressing: the fastest level, which still makes the
// ticket list's JSON about ten times smaller.
const gzipLevel = gzip.BestSpeed

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzipLevel)
	return w
}}

// acceptsGzip reports whether the request's Accept-Encoding accepts gzip (by name or by
// *), with a weight that is not zero.
func acceptsGzip(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for _, part := range strings.Split(h, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if (name == "gzip" || name == "x-gzip" || name == "*") && !zeroWeight(params) {
				return true
			}
		}
	}
	return false
}

// zeroWeight reports whether an Accept-Encoding entry's parameters give it q=0.
func zeroWeight(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err != nil || q <= 0
		}
	}
	return false
}

// gzipWriter compresses an answer for a client that accepts gzip, once it is known to
// be worth it: the answer's first GzipMinBytes are held back to decide, and answers that
// are already compressed (images, PDFs), partial (a range), already encoded, or without
// a body are sent as they are. finish must be called when the handler returns normally;
// after a panic it is not, so an answer cut off is not closed as if whole.
type gzipWriter struct {
	http.ResponseWriter
	status int          // the status the handler wrote; 0 before
	held   []byte       // the start of the answer, while undecided
	gz     *gzip.Writer // compressing; nil while undecided or when sent as is
	plain  bool         // decided: sent as is
}

// WriteHeader holds the status back until the first bytes decide the encoding, unless the
// headers already decide it.
func (g *gzipWriter) WriteHeader(code int) {
	if g.status != 0 || g.gz != nil || g.plain {
		return
	}
	g.status = code
	if !compressible(code, g.Header()) {
		g.sendPlain()
	}
}

// Write compresses p, holds it back while the answer is still too short to decide, or
// sends it as is.
func (g *gzipWriter) Write(p []byte) (int, error) {
	if g.status == 0 {
		g.WriteHeader(http.StatusOK)
	}
	switch {
	case g.gz != nil:
		return g.gz.Write(p)
	case g.plain:
		return g.ResponseWriter.Write(p)
	}
	g.held = append(g.held, p...)
	if len(g.held) >= GzipMinBytes {
		if err := g.compressHeld(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush sends what is held or compressed so far (a stream's flush): an answer still
// shorter than GzipMinBytes then goes as it is.
func (g *gzipWriter) Flush() {
	g.decide()
	if g.gz != nil {
		g.gz.Flush()
	}
	http.NewResponseController(g.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// finish ends the answer: sends what is held, or closes the gzip stream.
func (g *gzipWriter) finish() {
	if g.status == 0 && len(g.held) == 0 {
		return // nothing written: net/http answers 200 with no body
	}
	g.decide()
	if g.gz != nil {
		g.gz.Close()
		g.gz.Reset(io.Discard)
		gzipWriters.Put(g.gz)
		g.gz = nil
	}
}

// decide settles an undecided answer by what was held: compressed when it reached
// GzipMinBytes, as it is otherwise.
func (g *gzipWriter) decide() {
	switch {
	case g.gz != nil || g.plain:
	case len(g.held) >= GzipMinBytes:
		g.compressHeld()
	default:
		g.sendPlain()
	}
}

// sendPlain sends the status and what is held as they are.
func (g *gzipWriter) sendPlain() {
	g.plain = true
	g.ResponseWriter.WriteHeader(max(g.status, http.StatusOK))
	if len(g.held) > 0 {
		g.ResponseWriter.Write(g.held)
		g.held = nil
	}
}

// compressHeld starts compressing what is held, unless its type, sniffed now when the
// handler set none, is one compressed already.
func (g *gzipWriter) compressHeld() error {
	h := g.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", http.DetectContentType(g.held))
	}
	if !compressible(max(g.status, http.StatusOK), h) {
		g.sendPlain()
		return nil
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	h.Del("Accept-Ranges") // ranges would count the compressed bytes
	g.ResponseWriter.WriteHeader(max(g.status, http.StatusOK))
	g.gz = gzipWriters.Get().(*gzip.Writer)
	g.gz.Reset(g.ResponseWriter)
	held := g.held
	g.held = nil
	_, err := g.gz.Write(held)
	return err
}

// compressible reports whether an answer of that status and those headers may be
// compressed: one with a body, not a range, not encoded yet, not shorter than
// GzipMinBytes when its length is known, and not of a type that is compressed already.
func compressible(status int, h http.Header) bool {
	if status < http.StatusOK || status == http.StatusNoContent || status == http.StatusNotModified ||
		status == http.StatusPartialContent || h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" {
		return false
	}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < GzipMinBytes {
		return false
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case strings.HasPrefix(mt, "image/") && mt != "image/svg+xml", strings.HasPrefix(mt, "video/"), strings.HasPrefix(mt, "audio/"),
		mt == "application/pdf", mt == "application/zip", mt == "application/gzip", mt == "font/woff2", mt == "text/event-stream":
		return false
	}
	return true
}
