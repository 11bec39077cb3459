package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Reservations on PostgreSQL in two round trips.
//
// A reservation done statement by statement (update) costs five round trips to the
// database: BEGIN with the locks, the contract, the seat's update, the journal, COMMIT.
// On a small machine most of PostgreSQL's time then goes to the network calls around
// each statement rather than the statements themselves. reserveInPipeline sends the
// same statements in two pipelines instead (pgx batches on the pool's connection):
//
//  1. BEGIN; the write locks; the contract (contractQuery); takeSQL for each seat, in
//     seat order as reserveAll takes them.
//  2. The journal row; COMMIT.
//
// Between the two, the checks reserveAll and sell make run on what came back: the key
// may sell on the contract, the sale is open at the height, every seat was taken, the
// identity policy and the amount hold. When any fails, or anything else goes wrong
// before COMMIT is sent, the transaction is rolled back and Reserve runs the ordinary
// write, which gives the exact answer (and its error in Ticketbooth's order). The fast
// path never answers a refusal itself.
//
// The height is chosen before the locks are held, unlike in update. That is sound:
// takeSQL refuses a height below the closed mark, and the mark cannot move while the
// sealing lock is held shared (seal.go), so a transaction whose seats were taken also
// writes its journal row at or above the mark. That is why the journal row here is a
// plain insert (pipelineJournalSQL), which fails loudly rather than inserting nothing.
//
// SQLite needs none of this: it runs in-process, and its group commit (batch.go) already
// shares one transaction among many writes.

// pipelineJournalSQL appends a journal row unconditionally; see above for why that is
// safe in the pipeline.
func pipelineJournalSQL(d *dialect) string {
	return d.bind(`INSERT INTO journal (seq, hash, height, contract, kind, body) VALUES (` + d.nextJournalSeq + `, ?, ?, ?, ?, ?)`)
}

// reserveInPipeline reserves the order in two round trips on PostgreSQL. done is false
// when the fast path did not reserve and left nothing behind: the caller then runs the
// ordinary write. done is true with an error only when the outcome is unknown (the
// connection failed after COMMIT was sent).
func (s *Store) reserveInPipeline(ctx context.Context, actor ledger.Actor, address string, o ledger.Order) (out ledger.OrderReceipt, done bool, err error) {
	if s.batch != nil || s.d.writeLockSQL == nil {
		return out, false, nil
	}
	if err := s.sealIfDue(ctx); err != nil {
		return out, false, nil // the ordinary write seals again and reports
	}
	conn, release, err := s.writeConn(ctx)
	if err != nil {
		return out, false, nil
	}
	defer release()
	now := s.now()
	err = conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return nil
		}
		var bad bool
		out, done, bad, err = s.pipelineReserve(ctx, pc.Conn(), actor, address, o, now)
		if bad {
			return driver.ErrBadConn // its transaction's state is unknown: discard it
		}
		return nil
	})
	if err != nil && !done {
		return out, false, nil
	}
	return out, done, err
}

// pipelineReserve runs the two pipelines on one connection. bad reports a connection
// left in an unknown state.
func (s *Store) pipelineReserve(ctx context.Context, pc *pgx.Conn, actor ledger.Actor, address string, o ledger.Order, now time.Time) (out ledger.OrderReceipt, done, bad bool, err error) {
	w := s.newWtx(runner{}, actor, now)
	order := seatOrder(o.Tickets)
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(s.d.writeLockSQL(address, lockShared))
	b.Queue(s.d.bind(contractQuery), address)
	for _, i := range order {
		b.Queue(s.d.bind(takeSQL), takeArgs(address, o.Tickets[i], o.Sender, w.height)...)
	}
	br := pc.SendBatch(ctx, b)
	_, err = br.Exec()
	if err == nil {
		_, err = br.Exec()
	}
	var c ledger.Contract
	if err == nil {
		c, err = scanContract(br.QueryRow(), address)
	}
	taken := make([]takenSeat, len(o.Tickets))
	all := err == nil
	for _, i := range order {
		if err != nil {
			break
		}
		err = br.QueryRow().Scan(&taken[i].idx, &taken[i].price)
		if errors.Is(err, pgx.ErrNoRows) {
			all, err = false, nil
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil || !all || !reservable(actor, c, o, w.height) {
		return out, false, !rollback(ctx, pc), err
	}
	eff, err := orderEffect(ticketsReserved{Sender: o.Sender, Sale: c.Sale.Number}, o, taken)
	if err != nil {
		return out, false, !rollback(ctx, pc), err
	}
	body, data, hash, err := w.encode(ledger.TxTicketsReserved, address, eff)
	if err != nil {
		return out, false, !rollback(ctx, pc), err
	}
	b = &pgx.Batch{}
	b.Queue(pipelineJournalSQL(s.d), hash, w.height, address, ledger.TxTicketsReserved, string(data))
	b.Queue("COMMIT")
	if err := pc.SendBatch(ctx, b).Close(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			// The server refused the insert or the commit: nothing was committed.
			return out, false, !rollback(ctx, pc), err
		}
		return out, true, true, err
	}
	s.pipelined.Add(1)
	return orderReceipt(receiptOf(body, hash), eff), true, false, nil
}

// reservable runs, on what the first pipeline read, the checks of sell and reserveAll
// that do not need the database.
func reservable(actor ledger.Actor, c ledger.Contract, o ledger.Order, height int64) bool {
	if ledger.AuthorizeSeller(actor, c.Owner, c.Address) != nil || !ledger.SaleOpen(c, height) {
		return false
	}
	for _, t := range o.Tickets {
		if identityCheck(c, t) != nil {
			return false
		}
	}
	return true
}

// rollback ends the connection's transaction, reporting whether it could.
func rollback(ctx context.Context, pc *pgx.Conn) bool {
	_, err := pc.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	return err == nil
}
