package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// batcher is SQLite's group commit. SQLite has one writer at a time and most of a small
// write's cost is its commit (a WAL frame per page touched, the locks), so one goroutine
// runs the writes waiting in the queue together: one BEGIN IMMEDIATE, each write inside
// its own savepoint (a refused write rolls back alone, the others stay), one COMMIT, and
// only then does any caller hear back. Callers see exactly what separate transactions
// would give them; the writes of one batch share the clock reading and so their height.
type batcher struct {
	s    *db
	ops  *queue[*queuedOp]
	done chan struct{}
	// batches and writes count group commits and the writes in them; reruns, the batches
	// run again with savepoints.
	batches, writes, reruns atomic.Int64
	// safe is how many more batches run with savepoints (only the loop uses it).
	safe int
}

type queuedOp struct {
	*writeOp
	err  error
	done chan struct{}
}

// maxBatch bounds the writes of one group commit; maxYields, how often gathering one
// yields to let more writes arrive.
const (
	maxBatch  = 128
	maxYields = 4
)

var errClosed = errors.New("the store is closed")

func startBatcher(s *db) *batcher {
	b := &batcher{s: s, ops: newQueue[*queuedOp](4 * maxBatch), done: make(chan struct{})}
	go b.loop()
	return b
}

// do queues op and waits until its batch has committed or op has failed.
func (b *batcher) do(op *writeOp) error {
	q := &queuedOp{writeOp: op, done: make(chan struct{})}
	if !b.ops.send(q) {
		return errClosed
	}
	<-q.done
	return q.err
}

// stop lets the queued writes finish and ends the loop.
func (b *batcher) stop() {
	b.ops.close()
	<-b.done
}

// queue is a channel its senders may still try after it has closed.
type queue[T any] struct {
	mu     sync.RWMutex
	closed bool
	ch     chan T
}

func newQueue[T any](size int) *queue[T] { return &queue[T]{ch: make(chan T, size)} }

// send queues v, or reports false when the queue has closed.
func (q *queue[T]) send(v T) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return false
	}
	q.ch <- v
	return true
}

// close closes the queue; what was queued can still be received.
func (q *queue[T]) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
}

func (b *batcher) loop() {
	defer close(b.done)
	for op := range b.ops.ch {
		batch := gather(b.ops.ch, op, maxBatch, maxYields)
		b.batches.Add(1)
		b.writes.Add(int64(len(batch)))
		err := b.commit(batch)
		for _, q := range batch {
			if q.err == nil {
				q.err = err
			}
			close(q.done)
		}
		if err := b.s.wstmts.prepareWanted(context.Background()); err != nil {
			b.s.log.Error("ledger store", "op", "preparing statements", "err", err)
		}
	}
}

// gather returns first and what is queued behind it, up to most in all. While more keeps
// arriving it yields, up to yields times, so callers just woken by the previous commit can
// join: without that, a group holding everyone would be followed by groups of one or two.
func gather[T any](queue <-chan T, first T, most, yields int) []T {
	group := []T{first}
	for yielded := 0; len(group) < most; {
		select {
		case next, ok := <-queue:
			if !ok {
				return group
			}
			group = append(group, next)
			continue
		default:
		}
		if yielded == yields {
			return group
		}
		yielded++
		runtime.Gosched()
	}
	return group
}

// errRefusedInBatch: a write of a batch run without savepoints failed, so the batch is
// rolled back and runs again with them.
var errRefusedInBatch = errors.New("a write of the batch failed")

// safeAfterRefusal is how many batches run with savepoints after one without them had a
// write fail: refusals come in runs (a sold-out show, a rush on a few seats).
const safeAfterRefusal = 16

// commit runs the batch in one transaction. A write's own failure is its err; a failure
// of the transaction is returned for every write.
//
// Each write would need its own savepoint, so that one that fails rolls back alone; but
// the savepoint's two statements cost about as much as a small write's own, and nearly
// every write of a rush succeeds. So a batch first runs without savepoints. If a write
// fails, that batch is rolled back whole and runs again with a savepoint for each write,
// and so do the next few batches; callers hear only the outcome of the second run.
func (b *batcher) commit(batch []*queuedOp) error {
	if b.safe == 0 {
		err := b.run(batch, false)
		if !errors.Is(err, errRefusedInBatch) {
			return err
		}
		b.reruns.Add(1)
		b.safe = safeAfterRefusal
		for _, q := range batch {
			q.err = nil
		}
	} else {
		b.safe--
	}
	return b.run(batch, true)
}

// run runs the batch in one transaction, each write in a savepoint or (savepoints false)
// ending the batch with errRefusedInBatch when one fails.
func (b *batcher) run(batch []*queuedOp, savepoints bool) error {
	s := b.s
	ctx := context.Background()
	if err := s.chainIfDue(ctx); err != nil {
		return err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Under the write lock neither the closed mark nor the journal can change but by this
	// batch: read both once; heights start at the mark and seqs follow the last one.
	var mark, seq int64
	if err := s.writer(ctx, tx).row(`SELECT closed, (SELECT COALESCE(MAX(seq), 0) FROM journal) FROM seal_mark WHERE id = 1`).Scan(&mark, &seq); err != nil {
		return err
	}
	s.raiseClosed(mark)
	now := s.now()
	contracts := map[string]ledger.Contract{}
	for _, q := range batch {
		if q.err = q.ctx.Err(); q.err != nil {
			continue
		}
		if err := b.runOne(tx, q, now, &seq, contracts, savepoints); err != nil {
			return err
		}
		if q.lock != lockShared && q.lock != lockUnrelated {
			clear(contracts) // it may have changed a contract or its sale
		}
	}
	return tx.Commit()
}

// runOne runs one write, in a savepoint rolled back when the write fails (or panics), or
// without one, returning errRefusedInBatch when it fails. The write's statements run
// uncancelled: interrupting SQLite mid-statement would roll back the whole batch. Any
// other error returned is the savepoint's own, which ends the batch.
func (b *batcher) runOne(tx *sql.Tx, q *queuedOp, now time.Time, seq *int64, contracts map[string]ledger.Contract, savepoint bool) error {
	ctx := context.WithoutCancel(q.ctx)
	r := b.s.writer(ctx, tx)
	w := b.s.newWtx(b.s.writer(ctx, tx), q.actor, now)
	w.seq, w.contracts = seq, contracts
	if !savepoint {
		if q.err = runGuarded(q.fn, w); q.err != nil {
			return errRefusedInBatch
		}
		return nil
	}
	if _, err := r.exec(`SAVEPOINT write_op`); err != nil {
		return err
	}
	q.err = runGuarded(q.fn, w)
	if q.err != nil {
		if _, err := r.exec(`ROLLBACK TO write_op`); err != nil {
			return err
		}
	}
	_, err := r.exec(`RELEASE write_op`)
	return err
}

// runGuarded runs fn, turning a panic into an error so one bad write cannot stop the
// writer of the whole process.
func runGuarded(fn func(*wtx) error, w *wtx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in a write: %v", p)
		}
	}()
	return fn(w)
}
