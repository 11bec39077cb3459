package sqlstore

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"sync/atomic"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Idempotency keeps the answers of writes sent with an Idempotency-Key
// (ledger.Replays): one row per actor and key, claimed ('running') before the write runs
// and holding the sealed answer ('done') after. Rows older than ledger.IdempotencyWindow
// count as gone and are purged; see idempotency_seal.go for what is stored of the key.
type Idempotency struct {
	*db
	lastPurge atomic.Int64 // unix nanoseconds of the last purge
}

var _ ledger.Replays = (*Idempotency)(nil)

// AbandonAfter is how long a claim may stay 'running' before another request with the
// same key may take it over: the server that claimed it stopped before answering.
const AbandonAfter = 5 * time.Minute

// purgeEvery is how often Begin deletes the rows past the window.
const purgeEvery = time.Minute

// Begin claims key for request for the actor of ctx, or returns the answer kept for the
// same request; ECONFLICT when the key was used for another request or is still running.
func (s *Idempotency) Begin(ctx context.Context, key string, request []byte) (*ledger.Answer, error) {
	k, actor, err := s.keys(ctx, key)
	if err != nil {
		return nil, err
	}
	var status int
	var sealed string
	err = s.update(ctx, "claiming the Idempotency-Key", actor, "", lockUnrelated, func(w *wtx) error {
		if err := s.purge(w); err != nil {
			return err
		}
		claimed, err := claimReplay(w, k, k.mark(request))
		if claimed || err != nil {
			return err
		}
		status, sealed, err = readReplay(w, k, k.mark(request))
		return err
	})
	if err != nil || sealed == "" {
		return nil, err
	}
	a, err := k.open(sealed, status)
	if err != nil {
		return nil, s.internal("opening the kept answer", err)
	}
	return a, nil
}

// claimReplay takes the row of k for the request: new, or past the window, or abandoned
// while running. It reports whether it took it.
func claimReplay(w *wtx, k replayKeys, mark string) (bool, error) {
	now := w.now.UnixNano()
	res, err := w.exec(`INSERT INTO idempotency (actor, key_hash, request, state, created_at) VALUES (?, ?, ?, 'running', ?)
		ON CONFLICT (actor, key_hash) DO UPDATE SET request = excluded.request, state = 'running', status = 0, answer = '', created_at = excluded.created_at
		WHERE idempotency.created_at < ? OR (idempotency.state = 'running' AND idempotency.created_at < ?)`,
		k.actor, k.keyHash, mark, now, now-int64(ledger.IdempotencyWindow), now-int64(AbandonAfter))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// readReplay reads the row of k that another request holds: its answer when it was for
// the same request and is done, else the reason to refuse.
func readReplay(w *wtx, k replayKeys, mark string) (int, string, error) {
	var stored, state, sealed string
	var status int
	err := w.row(`SELECT request, state, status, answer FROM idempotency WHERE actor = ? AND key_hash = ?`, k.actor, k.keyHash).
		Scan(&stored, &state, &status, &sealed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, "", errChanged // purged meanwhile: claim again
	case err != nil:
		return 0, "", err
	case subtle.ConstantTimeCompare([]byte(stored), []byte(mark)) != 1:
		return 0, "", ledger.Errorf(ledger.ECONFLICT, "This Idempotency-Key was used in the last 24 hours for another request (another method, path or body): send a new key with a new request")
	case state != "done":
		return 0, "", ledger.IdempotencyRunning()
	}
	return status, sealed, nil
}

// Finish keeps the answer of the write under key, sealed.
func (s *Idempotency) Finish(ctx context.Context, key string, a ledger.Answer) error {
	k, actor, err := s.keys(ctx, key)
	if err != nil {
		return err
	}
	sealed, err := k.seal(a)
	if err != nil {
		return s.internal("sealing the answer", err)
	}
	return s.update(ctx, "keeping the answer", actor, "", lockUnrelated, func(w *wtx) error {
		_, err := w.exec(`UPDATE idempotency SET state = 'done', status = ?, answer = ? WHERE actor = ? AND key_hash = ? AND state = 'running'`,
			a.Status, sealed, k.actor, k.keyHash)
		return err
	})
}

// Abandon forgets the running claim of key: a retry runs the write again.
func (s *Idempotency) Abandon(ctx context.Context, key string) error {
	k, actor, err := s.keys(ctx, key)
	if err != nil {
		return err
	}
	return s.update(ctx, "forgetting the Idempotency-Key", actor, "", lockUnrelated, func(w *wtx) error {
		_, err := w.exec(`DELETE FROM idempotency WHERE actor = ? AND key_hash = ? AND state = 'running'`, k.actor, k.keyHash)
		return err
	})
}

// keys checks the key and derives its values for the actor of ctx: EUNAUTHORIZED
// without one.
func (s *Idempotency) keys(ctx context.Context, key string) (replayKeys, ledger.Actor, error) {
	actor, ok := ledger.ActorFrom(ctx)
	if !ok {
		return replayKeys{}, actor, ledger.Errorf(ledger.EUNAUTHORIZED, "A write with an Idempotency-Key needs an API key")
	}
	if err := ledger.ValidateIdempotencyKey(key); err != nil {
		return replayKeys{}, actor, err
	}
	k, err := deriveReplayKeys(actor.ID(), key)
	if err != nil {
		return replayKeys{}, actor, s.internal("deriving the Idempotency-Key's keys", err)
	}
	return k, actor, nil
}

// purge deletes the rows past the window, at most once every purgeEvery per process.
func (s *Idempotency) purge(w *wtx) error {
	last := s.lastPurge.Load()
	now := w.now.UnixNano()
	if now-last < int64(purgeEvery) || !s.lastPurge.CompareAndSwap(last, now) {
		return nil
	}
	_, err := w.exec(`DELETE FROM idempotency WHERE created_at < ?`, now-int64(ledger.IdempotencyWindow))
	return err
}
