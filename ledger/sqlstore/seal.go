package sqlstore

import (
	"context"
	"database/sql"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Sealing, and why it is sound with many writers.
//
// A block h may be sealed (its Merkle root fixed) only when no transaction of height h
// can still commit. The seal mark, one row in seal_mark, says how far that holds: every
// block below the mark is sealed, and the journal's insert refuses a transaction below
// the mark (errStaleHeight; the write then runs again above it).
//
// A sealer, in a transaction of its own, takes the sealing lock exclusively, reads the
// clock (height h), seals the blocks from the mark up to h-1 and moves the mark to h.
// Every write transaction holds the sealing lock shared from its first statement to its
// commit, and reads the clock only once it holds it. So while a sealer holds the lock no
// write is in flight: everything of heights below h has committed, and the order of those
// transactions by seq, which the Merkle root follows, is final. A write that starts
// later reads the clock after the sealer did; if its clock is behind (another server's),
// the insert's check sends it above the mark. On SQLite the lock is the database's write
// lock, which BEGIN IMMEDIATE takes, and the same reasoning holds trivially.
//
// Writers do not queue on the sealer more than needed: each process remembers the mark
// it last saw and, when its clock has passed it (about once per block interval), lets
// one of its writes seal while the others go on; the sealer re-reads the mark under the
// lock, so when several servers try at once, the first seals and the others find
// nothing to do.

// sealIfDue seals finished blocks when the clock has passed the seal mark this process
// last saw. One write of the process seals; the others meanwhile go on writing.
func (s *Store) sealIfDue(ctx context.Context) error {
	if s.clock.Height(s.now()) <= s.sealMark.Load() || !s.sealing.CompareAndSwap(false, true) {
		return nil
	}
	defer s.sealing.Store(false)
	_, err := s.sealUpTo(ctx)
	return err
}

// sealUpTo seals, under the sealing lock, every block below the current height that holds
// transactions and is not sealed yet, moves the seal mark up to that height and returns
// the mark.
func (s *Store) sealUpTo(ctx context.Context) (int64, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if s.d.sealLockSQL != "" {
		if _, err := tx.ExecContext(ctx, s.d.sealLockSQL); err != nil {
			return 0, err
		}
	}
	r := s.writer(ctx, tx)
	var mark int64
	if err := r.row(`SELECT below FROM seal_mark WHERE id = 1`).Scan(&mark); err != nil {
		return 0, err
	}
	if h := s.clock.Height(s.now()); h > mark {
		if err := sealBlocks(r, mark, h); err != nil {
			return 0, err
		}
		if _, err := r.exec(`UPDATE seal_mark SET below = ? WHERE id = 1`, h); err != nil {
			return 0, err
		}
		mark = h
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	s.raiseSealMark(mark)
	return mark, nil
}

// sealBlocks seals the blocks in [from, to) that hold transactions: each a Merkle root over
// its transactions' hashes in seq order, chained to the block before.
func sealBlocks(r runner, from, to int64) error {
	var prev string
	err := r.row(`SELECT hash FROM blocks ORDER BY height DESC LIMIT 1`).Scan(&prev)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	heights, err := r.int64s(`SELECT DISTINCT height FROM journal WHERE height >= ? AND height < ? ORDER BY height`, from, to)
	if err != nil {
		return err
	}
	for _, h := range heights {
		hashes, err := r.strings(`SELECT hash FROM journal WHERE height = ? ORDER BY seq`, h)
		if err != nil {
			return err
		}
		root, err := ledger.MerkleRoot(hashes)
		if err != nil {
			return err
		}
		hash := ledger.BlockHash(h, int64(len(hashes)), root, prev)
		if _, err := r.exec(`INSERT INTO blocks (height, tx_count, root, prev, hash) VALUES (?, ?, ?, ?, ?)`,
			h, len(hashes), root, prev, hash); err != nil {
			return err
		}
		prev = hash
	}
	return nil
}

// loadSealMark reads the seal mark, after another server moved it past this one's clock.
func (s *Store) loadSealMark(ctx context.Context) error {
	var mark int64
	if err := s.reader(ctx).row(`SELECT below FROM seal_mark WHERE id = 1`).Scan(&mark); err != nil {
		return err
	}
	s.raiseSealMark(mark)
	return nil
}

// raiseSealMark remembers a mark; the mark only ever goes up.
func (s *Store) raiseSealMark(mark int64) {
	for {
		old := s.sealMark.Load()
		if mark <= old || s.sealMark.CompareAndSwap(old, mark) {
			return
		}
	}
}
