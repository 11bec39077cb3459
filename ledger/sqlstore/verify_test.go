package sqlstore_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// history writes transactions at heights 0, 1, 3 and 5 and returns the contract and the
// receipt of the fee change at height 0.
func history(t *testing.T, e *env) (ledger.Contract, ledger.Receipt) {
	t.Helper()
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A", "1B")
	fee, err := e.store.Contracts.SetReleaseFee(org, c.Address, 25)
	mustNil(t, err, "SetReleaseFee")
	e.clock.AdvanceBlocks(1)
	_, err = e.store.Contracts.SetNoReleaseBlocks(org, c.Address, 2)
	mustNil(t, err, "SetNoReleaseBlocks")
	e.clock.AdvanceBlocks(2)
	_, err = e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 10), e.details(t, 2))
	mustNil(t, err, "BeginSale")
	e.clock.AdvanceBlocks(2)
	_, err = e.store.Contracts.EndSale(org, c.Address)
	mustNil(t, err, "EndSale")
	e.clock.AdvanceBlocks(1)
	return c, fee
}

func mustVerify(t *testing.T, e *env) ledger.VerifyReport {
	t.Helper()
	rep, err := e.store.Journal.Verify(e.admin)
	mustNil(t, err, "Verify")
	return rep
}

func TestVerifyOK(t *testing.T) {
	e := openEnv(t)
	rep := mustVerify(t, e)
	if !rep.OK || rep.Transactions != 0 || rep.Blocks != 0 || len(rep.Problems) != 0 {
		t.Errorf("Verify of an empty ledger = %+v", rep)
	}
	_, fee := history(t, e)
	if fee.Block != nil {
		t.Errorf("receipt of an unsealed transaction names block %+v", fee.Block)
	}
	rep = mustVerify(t, e)
	if !rep.OK || rep.Transactions != 5 || rep.Blocks != 4 || rep.Height != 6 || len(rep.Problems) != 0 {
		t.Errorf("Verify = %+v, want OK with 5 transactions in 4 blocks at height 6", rep)
	}
	// Sealed receipts name their block, whose hash is the one stored.
	rc, err := e.store.Journal.Receipt(context.Background(), fee.TransactionHash)
	mustNil(t, err, "Receipt")
	var hash string
	mustNil(t, e.rawDB(t).QueryRow(`SELECT hash FROM blocks WHERE height = 0`).Scan(&hash), "reading block 0")
	if rc.Block == nil || rc.Block.Height != 0 || rc.Block.Hash != hash {
		t.Errorf("sealed receipt block = %+v, want height 0 hash %s", rc.Block, hash)
	}
	// Verifying again finds the same and seals nothing twice.
	if again := mustVerify(t, e); !again.OK || again.Blocks != 4 {
		t.Errorf("second Verify = %+v", again)
	}
	// An organizer may verify too.
	if _, err := e.store.Journal.Verify(e.actor(t, ledger.RoleOrganizer, "auditor")); err != nil {
		t.Errorf("organizer Verify: %v", err)
	}
}

// TestVerifyTampered alters the database behind the store's back, each way once, and
// expects Verify to report it.
func TestVerifyTampered(t *testing.T) {
	tests := map[string]func(t *testing.T, db *rawDB, fee ledger.Receipt){
		"JournalBody": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `UPDATE journal SET body = replace(body, '"fee":25', '"fee":0') WHERE hash = ?`, fee.TransactionHash))
		},
		"JournalBodyAndHash": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			var body string
			mustNil(t, db.QueryRow(`SELECT body FROM journal WHERE hash = ?`, fee.TransactionHash).Scan(&body), "reading body")
			forged := strings.Replace(body, `"fee":25`, `"fee":0`, 1)
			if forged == body {
				t.Fatalf("body %s does not hold the fee", body)
			}
			wantRows(t, mustExec(t, db, `UPDATE journal SET body = ?, hash = ? WHERE hash = ?`, forged, ledger.HashBody([]byte(forged)), fee.TransactionHash))
		},
		"JournalRowDeleted": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `DELETE FROM journal WHERE hash = ?`, fee.TransactionHash))
		},
		"JournalRowInserted": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			body := `{"kind":"rules_set","height":1,"time":0,"actor":"admin","nonce":"00","effect":{}}`
			wantRows(t, mustExec(t, db, `INSERT INTO journal (seq, hash, height, contract, kind, body) VALUES (100, ?, 1, '', 'rules_set', ?)`,
				ledger.HashBody([]byte(body)), body))
		},
		"JournalHeight": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `UPDATE journal SET height = 1 WHERE hash = ?`, fee.TransactionHash))
		},
		"JournalReordered": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `UPDATE journal SET seq = seq + 1000 WHERE height = 0 AND hash <> ?`, fee.TransactionHash))
		},
		"BlockRoot": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `UPDATE blocks SET root = (SELECT root FROM blocks WHERE height = 3) WHERE height = 1`))
		},
		"BlockHash": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `UPDATE blocks SET hash = replace(hash, substr(hash, 1, 1), 'x') WHERE height = 5`))
		},
		"BlockCount": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `UPDATE blocks SET tx_count = tx_count + 1 WHERE height = 0`))
		},
		"BlockDeleted": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `DELETE FROM blocks WHERE height = 1`))
		},
		"BlockAndJournalDeleted": func(t *testing.T, db *rawDB, fee ledger.Receipt) {
			wantRows(t, mustExec(t, db, `DELETE FROM blocks WHERE height = 1`))
			wantRows(t, mustExec(t, db, `DELETE FROM journal WHERE height = 1`))
		},
	}
	for name, tamper := range tests {
		t.Run(name, func(t *testing.T) {
			e := openEnv(t)
			_, fee := history(t, e)
			if rep := mustVerify(t, e); !rep.OK {
				t.Fatalf("Verify before tampering = %+v", rep)
			}
			tamper(t, e.rawDB(t), fee)
			rep := mustVerify(t, e)
			if rep.OK || len(rep.Problems) == 0 {
				t.Errorf("Verify after tampering = %+v, want a problem reported", rep)
			}
		})
	}
}

// TestVerifyUnsealedBody alters a transaction of the current, unsealed block: its hash
// still gives it away.
func TestVerifyUnsealedBody(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A")
	rc, err := e.store.Contracts.SetReleaseFee(org, c.Address, 25)
	mustNil(t, err, "SetReleaseFee")
	wantRows(t, mustExec(t, e.rawDB(t), `UPDATE journal SET body = replace(body, '"fee":25', '"fee":26') WHERE hash = ?`, rc.TransactionHash))
	if rep := mustVerify(t, e); rep.OK || len(rep.Problems) == 0 {
		t.Errorf("Verify = %+v, want a problem", rep)
	}
}

func wantRows(t *testing.T, n int64) {
	t.Helper()
	if n == 0 {
		t.Fatalf("tampering changed no row")
	}
}

// TestVerifyAnchors: verify names the newest sealed block; given back later as an anchor,
// it catches what the chain alone cannot: the newest blocks deleted with their journal
// rows and their state reverted by hand.
func TestVerifyAnchors(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A", "1B")
	e.clock.AdvanceBlocks(2)
	first := mustVerify(t, e)
	if !first.OK || first.Head == nil || first.Head.Height != 0 || len(first.Head.Hash) != 64 {
		t.Fatalf("Verify after one block = %+v, want OK with block 0 as head", first)
	}
	_, err := e.store.Contracts.SetReleaseFee(org, c.Address, 5)
	mustNil(t, err, "SetReleaseFee")
	e.clock.AdvanceBlocks(2)
	rep := mustVerify(t, e)
	if !rep.OK || rep.Head == nil || rep.Head.Height != 2 {
		t.Fatalf("Verify after two blocks = %+v, want OK with block 2 as head", rep)
	}
	head, old := *rep.Head, *first.Head

	verify := func(anchors ...ledger.BlockRef) ledger.VerifyReport {
		t.Helper()
		rep, err := e.store.Journal.Verify(e.admin, anchors...)
		mustNil(t, err, "Verify")
		return rep
	}
	if rep := verify(old, head); !rep.OK {
		t.Errorf("Verify with both true anchors = %+v", rep)
	}
	wrong := head
	wrong.Hash = strings.Repeat("ab", 32)
	for _, tc := range []struct {
		anchor ledger.BlockRef
		says   string
	}{
		{wrong, "the chain was rewritten"},
		{ledger.BlockRef{Height: 1, Hash: head.Hash}, "gone from the chain"},
		{ledger.BlockRef{Height: 99, Hash: head.Hash}, "now ends before it"},
	} {
		if rep := verify(tc.anchor); rep.OK || !strings.Contains(strings.Join(rep.Problems, "; "), tc.says) {
			t.Errorf("Verify with anchor %s = %+v, want a problem saying %q", tc.anchor, rep, tc.says)
		}
	}

	// Remove the newest block with its transaction and undo what it did.
	db := e.rawDB(t)
	mustExec(t, db, `DELETE FROM journal WHERE height = 2`)
	mustExec(t, db, `DELETE FROM blocks WHERE height = 2`)
	mustExec(t, db, `UPDATE contracts SET release_fee = 0 WHERE address = ?`, c.Address)
	if rep := verify(); !rep.OK || rep.Head.Height != 0 {
		t.Fatalf("Verify without anchors after the cut = %+v; the test expects the cut to pass unseen", rep)
	}
	if rep := verify(old); !rep.OK {
		t.Errorf("Verify with the older anchor after the cut = %+v, want OK: block 0 is intact", rep)
	}
	if rep := verify(head); rep.OK || !strings.Contains(strings.Join(rep.Problems, "; "), "anchored block 2 is gone") {
		t.Errorf("Verify with the head anchor after the cut = %+v, want the missing block reported", rep)
	}
}

// TestSealingLogsTheHead: each sealing logs the new head, so logs kept elsewhere hold
// anchors without anyone running verify.
func TestSealingLogsTheHead(t *testing.T) {
	var logs syncBuffer
	clock := newFakeClock()
	e := &env{clock: clock, db: pgtest.LedgerDB(t), admin: ledger.WithActor(context.Background(), ledger.Actor{Admin: true})}
	e.store = mustOpen(t, e.db, sqlstore.Options{BlockInterval: testInterval, Now: clock.Now,
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	e.create(t, e.admin, "1A")
	e.clock.AdvanceBlocks(2)
	rep := mustVerify(t, e)
	if rep.Head == nil {
		t.Fatalf("Verify = %+v, want a head", rep)
	}
	if want := `"head":"` + rep.Head.String() + `"`; !strings.Contains(logs.String(), want) {
		t.Errorf("logs %q do not hold %s", logs.String(), want)
	}
}

// syncBuffer is a bytes.Buffer safe for the store's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
