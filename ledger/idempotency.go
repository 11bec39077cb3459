package ledger

import (
	"context"
	"errors"
	"time"
	"unicode"
)

// IdempotencyWindow is how long the answer of a write sent with an Idempotency-Key is
// kept: a retry within it gets the first answer again; after it the key is forgotten.
const IdempotencyWindow = 24 * time.Hour

// MaxIdempotencyKey is the longest Idempotency-Key accepted, in bytes.
const MaxIdempotencyKey = 255

// ValidateIdempotencyKey returns EINVALID for an empty key, one longer than
// MaxIdempotencyKey or one holding control characters. The key is never quoted back.
func ValidateIdempotencyKey(key string) error {
	if key == "" || len(key) > MaxIdempotencyKey {
		return Errorf(EINVALID, "The Idempotency-Key header must hold 1 to %d characters (a fresh random value, such as a UUID, for each new write)", MaxIdempotencyKey)
	}
	for _, r := range key {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return Errorf(EINVALID, "The Idempotency-Key header must not hold control characters or invalid UTF-8")
		}
	}
	return nil
}

// Answer is the answer a write gave: its status, the headers that describe it, and its
// body, byte for byte.
type Answer struct {
	Status int                 `json:"status"`
	Header map[string][]string `json:"header,omitempty"`
	Body   []byte              `json:"body,omitempty"`
}

// Replays remembers, for IdempotencyWindow, the answers of the writes an actor sent with
// an Idempotency-Key, so that a retry of the same request gets the first answer again
// instead of running the write twice. The actor is the one of ctx: keys are per actor.
// Implementations keep neither the key nor the request in a form that gives them back,
// and keep the answer only encrypted under a key derived from the Idempotency-Key.
type Replays interface {
	// Begin claims key for request (a digest of the request: method, path, body) and
	// returns nil: the caller then runs the write and calls Finish or Abandon. When the
	// same request was answered under key, it returns that answer instead. ECONFLICT
	// when key was used for another request, or a request with it is still running.
	Begin(ctx context.Context, key string, request []byte) (*Answer, error)
	// Finish keeps the answer of the write Begin let run.
	Finish(ctx context.Context, key string, a Answer) error
	// Abandon forgets the claim of a write that gave no answer worth keeping (a server
	// error): a retry runs the write again.
	Abandon(ctx context.Context, key string) error
}

// ErrIdempotencyRunning marks (errors.Is) the refusal of a write whose Idempotency-Key a
// request still running holds: a retry in a moment gets that request's answer.
var ErrIdempotencyRunning = errors.New("a request with this Idempotency-Key is still in progress")

const msgIdempotencyRunning = "A request with this Idempotency-Key is still in progress: retry in a moment to get its answer"

// IdempotencyRunning is the ECONFLICT refusal marked with ErrIdempotencyRunning.
func IdempotencyRunning() *Error {
	return &Error{Code: ECONFLICT, Message: msgIdempotencyRunning, rule: ErrIdempotencyRunning}
}
