package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The Idempotency-Key of writes: a client that sends a write (POST, PUT, PATCH, DELETE)
// with this header and sends it again with the same key, method, path, Accept and body
// within ledger.IdempotencyWindow gets the first answer again, byte for byte, marked
// with ReplayedHeader, and the write runs once. The same key with another request is a
// 409; a key still running is a 409 with Retry-After. Server errors (5xx) are not kept:
// a retry runs the write again. Keys are per actor (API key); the header is never logged.
const (
	IdempotencyHeader = "Idempotency-Key"
	ReplayedHeader    = "Idempotent-Replayed"
)

// replayer is the middleware of idempotent writes, in front of every route.
type replayer struct {
	responder
	store ledger.Replays
}

// serve runs next for r, through the replays when r is a write with an Idempotency-Key
// from an authenticated actor; a write without an actor goes on to be refused by its route.
func (p *replayer) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	keys := r.Header.Values(IdempotencyHeader)
	_, authenticated := ledger.ActorFrom(r.Context())
	if len(keys) == 0 || !isWrite(r.Method) || !authenticated {
		next.ServeHTTP(w, r)
		return
	}
	key, body, err := p.read(r, keys)
	if err != nil {
		p.error(w, err)
		return
	}
	kept, err := p.store.Begin(r.Context(), key, requestDigest(r, body))
	switch {
	case err != nil:
		if errors.Is(err, ledger.ErrIdempotencyRunning) {
			w.Header().Set("Retry-After", "1")
		}
		p.error(w, err)
	case kept != nil:
		replay(w, kept)
	default:
		p.run(w, r, key, next)
	}
}

// read checks the key and reads the body whole, leaving it readable again for the route.
func (p *replayer) read(r *http.Request, keys []string) (string, []byte, error) {
	if len(keys) > 1 {
		return "", nil, ledger.Errorf(ledger.EINVALID, "Send one Idempotency-Key header, not %d", len(keys))
	}
	if err := ledger.ValidateIdempotencyKey(keys[0]); err != nil {
		return "", nil, err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return "", nil, bodyError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return keys[0], body, nil
}

// run runs the write whose key Begin claimed and keeps its answer, unless it was a server
// error (or a panic): then the claim is abandoned, so a retry runs the write again.
func (p *replayer) run(w http.ResponseWriter, r *http.Request, key string, next http.Handler) {
	rec := &answerRecorder{ResponseWriter: w, status: http.StatusOK}
	ctx := context.WithoutCancel(r.Context()) // the answer is kept even if the client left
	kept := false
	defer func() {
		if !kept {
			if err := p.store.Abandon(ctx, key); err != nil {
				p.log.Error("forgetting an Idempotency-Key", "err", err)
			}
		}
	}()
	next.ServeHTTP(rec, r)
	if rec.status >= http.StatusInternalServerError {
		return
	}
	kept = true
	if err := p.store.Finish(ctx, key, rec.answer()); err != nil {
		p.log.Error("keeping the answer of an Idempotency-Key", "err", err)
	}
}

// replay writes a kept answer again.
func replay(w http.ResponseWriter, a *ledger.Answer) {
	for name, values := range a.Header {
		w.Header()[name] = values
	}
	w.Header().Set(ReplayedHeader, "true")
	w.WriteHeader(a.Status)
	w.Write(a.Body)
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// requestDigest is the SHA-256 of what makes two requests the same: method, path and
// query, the formats accepted (a PDF answer is not a JSON one) and the body, each
// length-prefixed.
func requestDigest(r *http.Request, body []byte) []byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(r.Method), []byte(r.URL.RequestURI()), []byte(r.Header.Get("Accept")), body} {
		binary.Write(h, binary.BigEndian, uint64(len(part)))
		h.Write(part)
	}
	return h.Sum(nil)
}

// answerRecorder passes an answer through and keeps a copy of its status, headers and
// body.
type answerRecorder struct {
	http.ResponseWriter
	status int
	header http.Header // the headers as the answer's status was written
	body   bytes.Buffer
}

func (a *answerRecorder) WriteHeader(code int) {
	if a.header == nil {
		a.status = code
		a.header = a.ResponseWriter.Header().Clone()
	}
	a.ResponseWriter.WriteHeader(code)
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	if a.header == nil {
		a.WriteHeader(http.StatusOK)
	}
	a.body.Write(b)
	return a.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (a *answerRecorder) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// answer is the answer to keep: the headers that describe it, without those of the
// connection.
func (a *answerRecorder) answer() ledger.Answer {
	h := a.header
	if h == nil {
		h = a.ResponseWriter.Header().Clone()
	}
	for _, name := range []string{"Connection", "Date", "Content-Length", "Transfer-Encoding", "Retry-After"} {
		h.Del(name)
	}
	return ledger.Answer{Status: a.status, Header: h, Body: a.body.Bytes()}
}
