package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// wtx is one write operation inside a transaction: the clock read once after the write
// locks are held, the height derived from it, and the actor it journals for.
type wtx struct {
	runner
	now    time.Time
	height int64
	actor  ledger.Actor
	// seq is the last journal seq of SQLite's group commit, which holds the database's
	// write lock and so numbers journal rows itself; nil on PostgreSQL.
	seq *int64
	// contracts are the contracts read by the selling writes of the same group commit
	// since its last other write; nil outside one (see sellingContract).
	contracts map[string]ledger.Contract
}

// sellingContract returns the contract a selling or gate write acts on. Within a group
// commit, consecutive such writes share one read of it: they change tickets, never the
// contract or its sales, and any other write empties the memory (see batcher.commit).
func (w *wtx) sellingContract(address string) (ledger.Contract, error) {
	if c, ok := w.contracts[address]; ok {
		return c, nil
	}
	c, err := loadContract(w.runner, address)
	if err == nil && w.contracts != nil {
		w.contracts[address] = c
	}
	return c, err
}

// writeOp is a write operation waiting to run: fn on the contract, locked as lock says.
type writeOp struct {
	ctx      context.Context
	actor    ledger.Actor
	contract string
	lock     lockMode
	fn       func(*wtx) error
}

// maxAttempts bounds how often a write runs again after a retryable failure.
const maxAttempts = 8

// errStaleHeight: the transaction's height is below the closed mark, because this
// process's clock is behind the server that closed it. It runs again above the mark.
var errStaleHeight = errors.New("transaction height is below the closed mark")

// update runs fn as one write: in SQLite's group commit, or in a transaction of its own
// on PostgreSQL, after closing and chaining finished blocks if that is due. Public store methods own
// their write; helpers take the *wtx.
func (s *db) update(ctx context.Context, what string, actor ledger.Actor, contract string, lock lockMode, fn func(*wtx) error) error {
	op := &writeOp{ctx: ctx, actor: actor, contract: contract, lock: lock, fn: fn}
	for attempt := 1; ; attempt++ {
		var err error
		if s.batch != nil {
			err = s.batch.do(op)
		} else {
			err = s.runAlone(op)
		}
		switch {
		case err == nil:
			return nil
		case attempt < maxAttempts && errors.Is(err, errStaleHeight):
			if err := s.loadClosed(ctx); err != nil {
				return s.internal(what, err)
			}
		case attempt < maxAttempts && (errors.Is(err, errChanged) || s.d.retryable(err)):
		default:
			return s.internal(what, err)
		}
	}
}

// runAlone runs op in a transaction of its own on one connection: BEGIN and the write
// locks in one round trip (the dialect's lock statement carries no parameters), then the
// clock, the operation and COMMIT. A connection handed back inside a transaction (the
// ROLLBACK itself failed) is discarded by the driver.
func (s *db) runAlone(op *writeOp) error {
	if err := s.chainIfDue(op.ctx); err != nil {
		return err
	}
	conn, release, err := s.writeConn(op.ctx)
	if err != nil {
		return err
	}
	defer release()
	if _, err := conn.ExecContext(op.ctx, "BEGIN; "+s.d.writeLockSQL(op.contract, op.lock)); err != nil {
		conn.ExecContext(context.WithoutCancel(op.ctx), "ROLLBACK")
		return err
	}
	r := runner{ctx: op.ctx, q: conn, d: s.d}
	if err := op.fn(s.newWtx(r, op.actor, s.now())); err != nil {
		conn.ExecContext(context.WithoutCancel(op.ctx), "ROLLBACK")
		return err
	}
	_, err = conn.ExecContext(op.ctx, "COMMIT")
	return err
}

// newWtx starts an operation at now. Its height never falls below the closed mark: a
// clock a little behind another server's still writes where blocks remain open.
func (s *db) newWtx(r runner, actor ledger.Actor, now time.Time) *wtx {
	h := max(s.clock.Height(now), s.closed.Load())
	return &wtx{runner: r, now: now, height: h, actor: actor}
}

// journal appends a transaction with the effect to the journal and returns its receipt.
// The insert happens only at or above the closed mark; below it, errStaleHeight.
func (w *wtx) journal(kind, contract string, effect any) (ledger.Receipt, error) {
	body, data, hash, err := w.encode(kind, contract, effect)
	if err != nil {
		return ledger.Receipt{}, err
	}
	if err := w.insertJournal(hash, w.height, contract, kind, string(data)); err != nil {
		return ledger.Receipt{}, err
	}
	return receiptOf(body, hash), nil
}

// encode returns the transaction of the effect at the operation's height and time, its
// canonical bytes and its hash.
func (w *wtx) encode(kind, contract string, effect any) (ledger.TxBody, []byte, string, error) {
	eff, err := json.Marshal(effect)
	if err != nil {
		return ledger.TxBody{}, nil, "", err
	}
	var nonce [8]byte
	rand.Read(nonce[:])
	body := ledger.TxBody{Kind: kind, Contract: contract, Height: w.height, Time: w.now.UnixNano(),
		Actor: w.actor.ID(), Nonce: hex.EncodeToString(nonce[:]), Effect: eff}
	data, hash, err := body.Encode()
	return body, data, hash, err
}

// insertJournal appends the row, only at or above the closed mark. In SQLite's group commit
// the batch read the mark and the last seq under the write lock, so both are known here;
// elsewhere one statement takes the next seq and checks the mark.
func (w *wtx) insertJournal(hash string, height int64, contract, kind, body string) error {
	if w.seq != nil {
		*w.seq++
		_, err := w.exec(`INSERT INTO journal (seq, hash, height, contract, kind, body) VALUES (?, ?, ?, ?, ?, ?)`,
			*w.seq, hash, height, contract, kind, body)
		return err
	}
	res, err := w.exec(`INSERT INTO journal (seq, hash, height, contract, kind, body)
		SELECT `+w.d.nextJournalSeq+`, CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT)
		FROM seal_mark WHERE id = 1 AND closed <= ?`, hash, height, contract, kind, body, height)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return errStaleHeight
	}
	return nil
}

// aboveMark returns errStaleHeight when the operation's height is below the closed mark.
func (w *wtx) aboveMark() error {
	var closed int64
	if err := w.row(closedQuery).Scan(&closed); err != nil {
		return err
	}
	if w.height < closed {
		return errStaleHeight
	}
	return nil
}

func receiptOf(b ledger.TxBody, hash string) ledger.Receipt {
	return ledger.Receipt{TransactionHash: hash, Height: b.Height, Time: time.Unix(0, b.Time).UTC(),
		Kind: b.Kind, Contract: b.Contract, Actor: b.Actor, Effect: b.Effect}
}

// errChanged: a conditional update found its row changed since the transaction read it
// (PostgreSQL, another server's write committed in between). The write runs again and
// decides on what is there now.
var errChanged = errors.New("a row changed while the transaction ran")

// changedUnlessOne returns errChanged unless the update changed exactly one row.
func changedUnlessOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errChanged
	}
	return nil
}

// access is who may write on a contract, and how the write locks it.
type access struct {
	roles []ledger.Role // the roles that may, besides the administrator
	lock  lockMode
	// authorize checks the actor against the contract's owner.
	authorize func(a ledger.Actor, owner, address string) error
}

// The accesses of the contract writes: managing a contract (its owner), selling, and
// the gate (organizer keys only on their own contracts).
var (
	asOwner  = access{roles: []ledger.Role{ledger.RoleOrganizer}, lock: lockExclusive, authorize: ledger.AuthorizeOwner}
	asSeller = access{roles: []ledger.Role{ledger.RoleBoxOffice, ledger.RoleOrganizer}, lock: lockShared, authorize: ledger.AuthorizeSeller}
	asGate   = access{roles: []ledger.Role{ledger.RoleScanner, ledger.RoleOrganizer}, lock: lockShared, authorize: ledger.AuthorizeSeller}
)

// writeContract runs fn as one write on the contract at address, after the checks every
// contract write shares: the actor's role, a well-formed address, an existing contract,
// the actor's right to it.
func (s *db) writeContract(ctx context.Context, what, address string, a access, fn func(*wtx, ledger.Contract) error) error {
	actor, err := ledger.Authorize(ctx, a.roles...)
	if err != nil {
		return err
	}
	if err := ledger.ValidateAddress(address); err != nil {
		return err
	}
	return s.update(ctx, what, actor, address, a.lock, func(w *wtx) error {
		c, err := w.contract(address, a.lock)
		if err != nil {
			return err
		}
		if err := a.authorize(actor, c.Owner, address); err != nil {
			return err
		}
		return fn(w, c)
	})
}

// contract reads the contract a write locked as lock acts on: shared writes (selling and
// the gate) share one read within a group commit (sellingContract), others read it anew.
func (w *wtx) contract(address string, lock lockMode) (ledger.Contract, error) {
	if lock == lockShared {
		return w.sellingContract(address)
	}
	return loadContract(w.runner, address)
}
