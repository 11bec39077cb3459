package server

import (
	"crypto/tls"
	"io"
	"net/http"
	"time"
)

// Timeouts bound how long one connection may hold the server: a client that sends its
// request slowly, reads the answer slowly, or keeps an idle connection open is cut off
// when its time is up, so slow or stalled clients cannot pile up.
type Timeouts struct {
	ReadHeader time.Duration // the request line and headers
	Read       time.Duration // the whole request, body included
	Write      time.Duration // from the end of the request's headers to the end of the answer
	Idle       time.Duration // a kept-alive connection waiting for its next request
}

// DefaultTimeouts are the timeouts of `ticketbooth serve` unless its flags say otherwise.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 30 * time.Second}

// HTTPServer returns the http.Server that serves h with the timeouts t (TLS 1.2 at least
// when served over TLS). Tests use it to run the server exactly as `serve` does.
func HTTPServer(h http.Handler, t Timeouts) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: 64 << 10, TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
}

// bodyWatch notes whether a request body was read to its end.
type bodyWatch struct {
	io.ReadCloser
	done bool
}

func (b *bodyWatch) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.done = true
	}
	return n, err
}
