package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// wtx is one write transaction: the clock read once after the write lock is held, the
// height derived from it, and the journal entries it appends.
type wtx struct {
	*sql.Tx
	ctx    context.Context
	now    time.Time
	height int64
	actor  ledger.Actor
}

// update runs fn in a write transaction and commits it, sealing finished blocks first.
// Public store methods own their transaction; helpers take the *wtx.
func (s *Store) update(ctx context.Context, what string, actor ledger.Actor, fn func(*wtx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return s.internal(what, err)
	}
	defer tx.Rollback()
	now := s.now()
	w := &wtx{Tx: tx, ctx: ctx, now: now, height: s.clock.Height(now), actor: actor}
	if err := s.seal(w); err != nil {
		return s.internal(what, err)
	}
	if err := fn(w); err != nil {
		return s.internal(what, err)
	}
	if err := tx.Commit(); err != nil {
		return s.internal(what, err)
	}
	return nil
}

// journal appends a transaction with the effect to the journal and returns its receipt.
func (w *wtx) journal(kind, contract string, effect any) (ledger.Receipt, error) {
	eff, err := json.Marshal(effect)
	if err != nil {
		return ledger.Receipt{}, err
	}
	nonce := make([]byte, 8)
	if _, err := rand.Read(nonce); err != nil {
		return ledger.Receipt{}, err
	}
	body := ledger.TxBody{Kind: kind, Contract: contract, Height: w.height, Time: w.now.UnixNano(),
		Actor: w.actor.ID(), Nonce: hex.EncodeToString(nonce), Effect: eff}
	data, hash, err := body.Encode()
	if err != nil {
		return ledger.Receipt{}, err
	}
	var seq int64
	if err := w.QueryRowContext(w.ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM journal`).Scan(&seq); err != nil {
		return ledger.Receipt{}, err
	}
	_, err = w.ExecContext(w.ctx, `INSERT INTO journal (seq, hash, height, contract, kind, body) VALUES (?, ?, ?, ?, ?, ?)`,
		seq, hash, w.height, contract, kind, string(data))
	if err != nil {
		return ledger.Receipt{}, err
	}
	return receiptOf(body, hash), nil
}

func receiptOf(b ledger.TxBody, hash string) ledger.Receipt {
	return ledger.Receipt{TransactionHash: hash, Height: b.Height, Time: time.Unix(0, b.Time).UTC(),
		Kind: b.Kind, Contract: b.Contract, Actor: b.Actor, Effect: b.Effect}
}

// seal closes every block below the current height that holds transactions and is not
// sealed yet: its Merkle root over the transaction hashes, chained to the block before.
func (s *Store) seal(w *wtx) error {
	var last sql.NullInt64
	var prev sql.NullString
	err := w.QueryRowContext(w.ctx, `SELECT height, hash FROM blocks ORDER BY height DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	from := int64(-1)
	if last.Valid {
		from = last.Int64
	}
	heights, err := queryInt64s(w.ctx, w.Tx, `SELECT DISTINCT height FROM journal WHERE height > ? AND height < ? ORDER BY height`, from, w.height)
	if err != nil {
		return err
	}
	for _, h := range heights {
		hashes, err := queryStrings(w.ctx, w.Tx, `SELECT hash FROM journal WHERE height = ? ORDER BY seq`, h)
		if err != nil {
			return err
		}
		root, err := ledger.MerkleRoot(hashes)
		if err != nil {
			return err
		}
		hash := ledger.BlockHash(h, int64(len(hashes)), root, prev.String)
		if _, err := w.ExecContext(w.ctx, `INSERT INTO blocks (height, tx_count, root, prev, hash) VALUES (?, ?, ?, ?, ?)`,
			h, len(hashes), root, prev.String, hash); err != nil {
			return err
		}
		prev.String = hash
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryInt64s(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
