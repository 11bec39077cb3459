package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Receipt returns what the transaction with the hash did and, once sealed, its block.
func (s *Store) Receipt(ctx context.Context, hash string) (ledger.Receipt, error) {
	if len(hash) != 64 || !isHex(hash) {
		return ledger.Receipt{}, ledger.Errorf(ledger.EINVALID, "Invalid transaction hash %s: 64 hex characters expected", clip(hash))
	}
	var body string
	err := s.read.QueryRowContext(ctx, `SELECT body FROM journal WHERE hash = ?`, hash).Scan(&body)
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
	err = s.read.QueryRowContext(ctx, `SELECT height, hash FROM blocks WHERE height = ?`, b.Height).Scan(&block.Height, &block.Hash)
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

// Verify seals every finished block, then checks that each transaction's hash covers its
// stored body, that the body agrees with its row, and that every sealed block's Merkle
// root and chain recompute. Administrators and organizers may run it.
func (s *Store) Verify(ctx context.Context) (ledger.VerifyReport, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleOrganizer)
	if err != nil {
		return ledger.VerifyReport{}, err
	}
	var rep ledger.VerifyReport
	err = s.update(ctx, "verifying the ledger", actor, func(w *wtx) error {
		rep = ledger.VerifyReport{Height: w.height}
		if err := verifyJournal(w, &rep); err != nil {
			return err
		}
		return verifyBlocks(w, &rep)
	})
	rep.OK = err == nil && len(rep.Problems) == 0
	return rep, err
}

func problem(rep *ledger.VerifyReport, format string, args ...any) {
	if len(rep.Problems) < maxProblems {
		rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
	}
}

func verifyJournal(w *wtx, rep *ledger.VerifyReport) error {
	rows, err := w.QueryContext(w.ctx, `SELECT seq, hash, height, contract, kind, body FROM journal ORDER BY seq`)
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
	}
	return rows.Err()
}

func verifyBlocks(w *wtx, rep *ledger.VerifyReport) error {
	type block struct {
		height, count    int64
		root, prev, hash string
	}
	rows, err := w.QueryContext(w.ctx, `SELECT height, tx_count, root, prev, hash FROM blocks ORDER BY height`)
	if err != nil {
		return err
	}
	var blocks []block
	for rows.Next() {
		var b block
		if err := rows.Scan(&b.height, &b.count, &b.root, &b.prev, &b.hash); err != nil {
			rows.Close()
			return err
		}
		blocks = append(blocks, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	prev := ""
	for _, b := range blocks {
		rep.Blocks++
		hashes, err := queryStrings(w.ctx, w.Tx, `SELECT hash FROM journal WHERE height = ? ORDER BY seq`, b.height)
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
	var unsealed int64
	if err := w.QueryRowContext(w.ctx, `SELECT COUNT(*) FROM journal WHERE height < ? AND height NOT IN (SELECT height FROM blocks)`, w.height).Scan(&unsealed); err != nil {
		return err
	}
	if unsealed > 0 {
		problem(rep, "%d transactions below height %d are in no sealed block", unsealed, w.height)
	}
	return nil
}
