package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Journal is the ledger's journal (ledger.Journal): the clock's height, the receipts of
// transactions, and verification of the whole journal and its chain of blocks.
type Journal struct {
	*db
	holders holderKey // to check the tables' senders against the journal's holders
}

var _ ledger.Journal = (*Journal)(nil)

// Info returns the current height and the clock.
func (s *Journal) Info(ctx context.Context) (ledger.Info, error) {
	return ledger.Info{
		Height:        max(s.clock.Height(s.now()), s.closed.Load()),
		BlockInterval: ledger.Duration(s.clock.Interval),
		Genesis:       s.clock.Genesis,
		ZeroAddress:   ledger.ZeroAddress,
	}, nil
}

// Receipt returns what the transaction with the hash did and, once chained, its block.
func (s *Journal) Receipt(ctx context.Context, hash string) (ledger.Receipt, error) {
	if len(hash) != 64 || !isHex(hash) {
		return ledger.Receipt{}, ledger.Errorf(ledger.EINVALID, "Invalid transaction hash %s: 64 hex characters expected", clip(hash))
	}
	var body string
	r := s.reader(ctx)
	err := r.row(`SELECT body FROM journal WHERE hash = ?`, hash).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.Receipt{}, ledger.Errorf(ledger.ENOTFOUND, "No transaction %s", hash)
	}
	if err != nil {
		return ledger.Receipt{}, s.internal("reading the receipt", err)
	}
	var b ledger.TxBody
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return ledger.Receipt{}, s.internal("reading the receipt", err)
	}
	rc := receiptOf(b, hash)
	var block ledger.BlockRef
	err = r.row(`SELECT height, hash FROM blocks WHERE height = ?`, b.Height).Scan(&block.Height, &block.Hash)
	if err == nil {
		rc.Block = &block
	} else if !errors.Is(err, sql.ErrNoRows) {
		return ledger.Receipt{}, s.internal("reading the receipt", err)
	}
	return rc, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// maxProblems bounds the problems a report lists; the count of checks is still complete.
const maxProblems = 100

// Verify closes and chains every finished block, then checks, on one consistent snapshot, that each
// transaction's hash covers its stored body, that the body agrees with its row, that
// every chained block's Merkle root and link recompute, that no transaction below the
// chained mark is outside a block, and that the state tables hold what replaying the
// journal in seq order gives. Administrators and organizers may run it. Writers go on
// meanwhile: only the closing takes the closing lock.
func (s *Journal) Verify(ctx context.Context, anchors ...ledger.BlockRef) (ledger.VerifyReport, error) {
	if _, err := ledger.Authorize(ctx, ledger.RoleOrganizer); err != nil {
		return ledger.VerifyReport{}, err
	}
	mark, err := s.closeAndChain(ctx)
	if err != nil {
		return ledger.VerifyReport{}, s.internal("verifying the ledger", err)
	}
	rep := ledger.VerifyReport{Height: mark}
	err = s.snapshot(ctx, func(r runner) error {
		p := newProjection(s.holders)
		if err := verifyJournal(r, &rep, p); err != nil {
			return err
		}
		if err := verifyBlocks(r, &rep, mark, anchors); err != nil {
			return err
		}
		return compareState(r, &rep, p)
	})
	if err != nil {
		return rep, s.internal("verifying the ledger", err)
	}
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

// snapshot runs fn in a read-only transaction that sees one state of the database.
func (s *db) snapshot(ctx context.Context, fn func(runner) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(runner{ctx: ctx, q: tx, tx: tx, d: s.d, stmts: s.rstmts}); err != nil {
		return err
	}
	return tx.Commit()
}

// checkAnchor reports an anchor the chain no longer holds. As every block chains to the
// one before, an anchor found unchanged vouches for all blocks up to it.
func checkAnchor(rep *ledger.VerifyReport, a ledger.BlockRef, byHeight map[int64]string) {
	hash, ok := byHeight[a.Height]
	switch {
	case !ok && (rep.Head == nil || a.Height > rep.Head.Height):
		problem(rep, "anchored block %d is gone: the chain now ends before it (sealed blocks were removed)", a.Height)
	case !ok:
		problem(rep, "anchored block %d is gone from the chain (sealed blocks were removed)", a.Height)
	case hash != a.Hash:
		problem(rep, "block %d has hash %s, not the anchored %s: the chain was rewritten", a.Height, hash, a.Hash)
	}
}

func problem(rep *ledger.VerifyReport, format string, args ...any) {
	if len(rep.Problems) < maxProblems {
		rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
	}
}

// verifyJournal checks each transaction, streaming the journal in seq order, and replays
// those that check out into p.
func verifyJournal(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT seq, hash, height, contract, kind, body FROM journal ORDER BY seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq, height int64
		var hash, contract, kind, body string
		if err := rows.Scan(&seq, &hash, &height, &contract, &kind, &body); err != nil {
			return err
		}
		rep.Transactions++
		if got := ledger.HashBody([]byte(body)); got != hash {
			problem(rep, "transaction %d (%s): body does not match its hash", seq, hash)
			continue
		}
		var b ledger.TxBody
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			problem(rep, "transaction %d (%s): body is not valid JSON", seq, hash)
			continue
		}
		if b.Height != height || b.Contract != contract || b.Kind != kind {
			problem(rep, "transaction %d (%s): height, contract or kind differ from its hashed body", seq, hash)
		}
		p.apply(rep, seq, hash, b)
	}
	return rows.Err()
}

// verifyBlocks checks the chain of blocks, then the anchors against it, then that no
// transaction below the chained mark is outside a block.
func verifyBlocks(r runner, rep *ledger.VerifyReport, mark int64, anchors []ledger.BlockRef) error {
	blocks, err := readBlocks(r)
	if err != nil {
		return err
	}
	if err := checkChain(r, rep, blocks); err != nil {
		return err
	}
	byHeight := make(map[int64]string, len(blocks))
	for _, b := range blocks {
		byHeight[b.height] = b.hash
	}
	for _, a := range anchors {
		checkAnchor(rep, a, byHeight)
	}
	var unchained int64
	if err := r.row(`SELECT COUNT(*) FROM journal WHERE height < ? AND height NOT IN (SELECT height FROM blocks)`, mark).Scan(&unchained); err != nil {
		return err
	}
	if unchained > 0 {
		problem(rep, "%d transactions below height %d are in no sealed block", unchained, mark)
	}
	return nil
}

// storedBlock is a row of the blocks table.
type storedBlock struct {
	height, count    int64
	root, prev, hash string
}

// readBlocks reads the chain of blocks in height order.
func readBlocks(r runner) ([]storedBlock, error) {
	rows, err := r.rows(`SELECT height, tx_count, root, prev, hash FROM blocks ORDER BY height`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var blocks []storedBlock
	for rows.Next() {
		var b storedBlock
		if err := rows.Scan(&b.height, &b.count, &b.root, &b.prev, &b.hash); err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}
	return blocks, rows.Err()
}

// checkChain recomputes each block's Merkle root, link and hash, and reports the head.
// The blocks are read whole first: pgx runs one query at a time on a connection.
func checkChain(r runner, rep *ledger.VerifyReport, blocks []storedBlock) error {
	prev := ""
	for _, b := range blocks {
		rep.Blocks++
		hashes, err := r.strings(`SELECT hash FROM journal WHERE height = ? ORDER BY seq`, b.height)
		if err != nil {
			return err
		}
		root, err := ledger.MerkleRoot(hashes)
		switch {
		case err != nil:
			problem(rep, "block %d: %v", b.height, err)
		case root != b.root || int64(len(hashes)) != b.count:
			problem(rep, "block %d: its transactions no longer match its Merkle root (%d sealed, %d now)", b.height, b.count, len(hashes))
		case b.prev != prev:
			problem(rep, "block %d: does not chain to the block before it", b.height)
		case ledger.BlockHash(b.height, b.count, b.root, b.prev) != b.hash:
			problem(rep, "block %d: its hash does not match its contents", b.height)
		}
		prev = b.hash
	}
	if n := len(blocks); n > 0 {
		rep.Head = &ledger.BlockRef{Height: blocks[n-1].height, Hash: blocks[n-1].hash}
	}
	return nil
}
