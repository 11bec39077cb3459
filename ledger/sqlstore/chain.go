package sqlstore

import (
	"context"
	"database/sql"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Closing and chaining blocks, and why it is sound with many writers. (A ticket's
// secret is sealed, encrypted, by the issuer; blocks are closed and then chained.)
//
// A block h may be chained (its Merkle root fixed and linked to the block before) only
// when no transaction of height h can still commit. Two marks in the seal_mark table say
// how far that holds (the table and its column sealed keep the names of the first
// migration): no transaction may be written below closed (the journal's insert checks,
// and a write below it runs again above it, errStaleHeight), and every block below the
// chained mark (column sealed) is chained.
//
// Closing takes the closing lock exclusively, reads the clock (height h), moves closed up
// to h and commits. Every write transaction holds the closing lock shared from its first
// statement to its commit, and reads the clock only once it holds it. So when a closer
// holds the lock no write is in flight: everything below h has committed, and nothing
// below h can commit any more, since a write that starts later reads the clock after the
// closer did, and one whose clock is behind (another server's) is sent above the mark.
// The transactions below closed, and their order by seq which the Merkle roots follow,
// are final. Chaining then computes the blocks from the chained mark up to closed at
// leisure, under a lock only chainers take, while writers go on.
//
// On SQLite both locks are the database's write lock, which BEGIN IMMEDIATE takes, and
// the same reasoning holds trivially.
//
// Writers wait for a closer only as long as the writes in flight take: each process
// remembers the closed mark it last saw and, when its clock has passed it (about once per
// block interval), lets one of its writes check the mark without a lock and close only
// if no other server has; the others go on meanwhile. On PostgreSQL the chaining itself
// then runs in the background.

// chainIfDue closes and chains finished blocks when the clock has passed the closed mark
// this process last saw. One write of the process does it; the others go on writing.
func (s *db) chainIfDue(ctx context.Context) error {
	if s.clock.Height(s.now()) <= s.closed.Load() || !s.chaining.CompareAndSwap(false, true) {
		return nil
	}
	if err := s.closeBlocks(ctx); err != nil {
		s.chaining.Store(false)
		return err
	}
	if s.batch != nil {
		defer s.chaining.Store(false)
		_, err := s.chainClosed(ctx)
		return err
	}
	s.chainers.Add(1)
	go func() {
		defer s.chainers.Done()
		defer s.chaining.Store(false)
		if _, err := s.chainClosed(context.WithoutCancel(ctx)); err != nil {
			s.log.Error("ledger store", "op", "chaining blocks", "err", err)
		}
	}()
	return nil
}

// closeAndChain closes the blocks below the current height and chains them, and returns
// the chained mark.
func (s *db) closeAndChain(ctx context.Context) (int64, error) {
	if err := s.closeBlocks(ctx); err != nil {
		return 0, err
	}
	return s.chainClosed(ctx)
}

// closeBlocks moves the closed mark up to the current height, unless another server
// already did: first a look without a lock, then under the closing lock.
func (s *db) closeBlocks(ctx context.Context) error {
	if err := s.loadClosed(ctx); err != nil || s.clock.Height(s.now()) <= s.closed.Load() {
		return err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.d.closeLockSQL != "" {
		if _, err := tx.ExecContext(ctx, s.d.closeLockSQL); err != nil {
			return err
		}
	}
	r := s.writer(ctx, tx)
	var closed int64
	if err := r.row(closedQuery).Scan(&closed); err != nil {
		return err
	}
	if h := s.clock.Height(s.now()); h > closed {
		if _, err := r.exec(`UPDATE seal_mark SET closed = ? WHERE id = 1`, h); err != nil {
			return err
		}
		closed = h
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.raiseClosed(closed)
	return nil
}

// chainClosed chains, under the chainers' lock, every block below the closed mark that
// holds transactions and is not chained yet, and returns the chained mark.
func (s *db) chainClosed(ctx context.Context) (int64, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if s.d.chainLockSQL != "" {
		if _, err := tx.ExecContext(ctx, s.d.chainLockSQL); err != nil {
			return 0, err
		}
	}
	r := s.writer(ctx, tx)
	var closed, chained int64
	if err := r.row(`SELECT closed, sealed FROM seal_mark WHERE id = 1`).Scan(&closed, &chained); err != nil {
		return 0, err
	}
	var head *ledger.BlockRef
	if chained < closed {
		if head, err = chainBlocks(r, chained, closed); err != nil {
			return 0, err
		}
		if _, err := r.exec(`UPDATE seal_mark SET sealed = ? WHERE id = 1`, closed); err != nil {
			return 0, err
		}
		chained = closed
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if head != nil {
		// Logs usually end up beyond the database's reach: each line is an anchor for
		// ledger verify --anchor.
		s.log.Info("sealed blocks; the head is an anchor for ledger verify --anchor", "head", head.String())
	}
	return chained, nil
}

// chainBlocks chains the blocks in [from, to) that hold transactions: each a Merkle root
// over its transactions' hashes in seq order, linked to the block before. It returns the
// new head, or nil when there was nothing to chain.
func chainBlocks(r runner, from, to int64) (*ledger.BlockRef, error) {
	var prev string
	err := r.row(`SELECT hash FROM blocks ORDER BY height DESC LIMIT 1`).Scan(&prev)
	if err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	heights, err := r.int64s(`SELECT DISTINCT height FROM journal WHERE height >= ? AND height < ? ORDER BY height`, from, to)
	if err != nil {
		return nil, err
	}
	var head *ledger.BlockRef
	for _, h := range heights {
		hashes, err := r.strings(`SELECT hash FROM journal WHERE height = ? ORDER BY seq`, h)
		if err != nil {
			return nil, err
		}
		root, err := ledger.MerkleRoot(hashes)
		if err != nil {
			return nil, err
		}
		hash := ledger.BlockHash(h, int64(len(hashes)), root, prev)
		if _, err := r.exec(`INSERT INTO blocks (height, tx_count, root, prev, hash) VALUES (?, ?, ?, ?, ?)`,
			h, len(hashes), root, prev, hash); err != nil {
			return nil, err
		}
		prev, head = hash, &ledger.BlockRef{Height: h, Hash: hash}
	}
	return head, nil
}

// closedQuery reads the closed mark.
const closedQuery = `SELECT closed FROM seal_mark WHERE id = 1`

// loadClosed reads the closed mark, which another server may have moved past this one's
// clock.
func (s *db) loadClosed(ctx context.Context) error {
	var closed int64
	if err := s.reader(ctx).row(closedQuery).Scan(&closed); err != nil {
		return err
	}
	s.raiseClosed(closed)
	return nil
}

// raiseClosed remembers a closed mark; the mark only ever goes up.
func (s *db) raiseClosed(mark int64) {
	for {
		old := s.closed.Load()
		if mark <= old || s.closed.CompareAndSwap(old, mark) {
			return
		}
	}
}
