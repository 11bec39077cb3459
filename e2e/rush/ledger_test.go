package rush_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"sort"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// committed is a line of the load generator's --log: a 201 a buyer got.
type committed struct {
	Kind            string        `json:"kind"`
	TransactionHash string        `json:"transactionHash"`
	Sender          string        `json:"sender"`
	Holder          string        `json:"holder"`
	Seats           []ledger.Seat `json:"seats"`
	Amount          int64         `json:"amount"`
}

func readCommitted(t *testing.T, path string) []committed {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []committed
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		var c committed
		if err := json.Unmarshal(lines.Bytes(), &c); err != nil {
			t.Fatalf("log line %q: %v", lines.Text(), err)
		}
		out = append(out, c)
	}
	return out
}

// journalTx is a reservation or release as the journal holds it: by holder address, the
// sender never being journaled.
type journalTx struct {
	kind, holder string
	seats        []string
}

// checkLedger replays the contract's journal in seq order, seat by seat (for one seat
// that is its commit order: each write holds the seat's row lock until it commits), and
// compares it with what the buyers were told and with the tickets as they stand.
func checkLedger(t *testing.T, e *rushEnv, told []committed) {
	t.Helper()
	db, err := sql.Open("pgx", e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	journal, owners := replay(t, db, e.contract)
	var paid, refunded, releases int64
	for _, c := range told {
		tx, ok := journal[c.TransactionHash]
		switch {
		case !ok:
			t.Errorf("%s was told %s %v committed in %s, which is not in the journal", c.Sender, c.Kind, c.Seats, c.TransactionHash)
		case tx.kind != c.Kind || tx.holder != c.Holder || c.Holder == "" || !sameSeats(tx.seats, c.Seats):
			t.Errorf("transaction %s: journal says %s %v by %s, the buyer was told %s %v by %s", c.TransactionHash,
				tx.kind, tx.seats, tx.holder, c.Kind, c.Seats, c.Holder)
		}
		if c.Kind == "release" {
			refunded += c.Amount
			releases++
		} else {
			paid += c.Amount
		}
	}
	if len(journal) != len(told) {
		t.Errorf("the journal holds %d reservations and releases; buyers were told of %d", len(journal), len(told))
	}
	held := checkTickets(t, db, e.contract, owners)
	if paid-refunded != held*price+releases*fee {
		t.Errorf("buyers paid %d and got %d back; the ledger holds %d seats at %d and %d release fees of %d",
			paid, refunded, held, price, releases, fee)
	}
}

// replay reads the journal and fails the test on a seat sold while sold or released by
// someone not holding it. It returns the transactions by hash and the final owners.
func replay(t *testing.T, db *sql.DB, contract string) (map[string]journalTx, map[string]string) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT hash, kind, body FROM journal
		WHERE contract = $1 AND kind IN ('tickets_reserved', 'ticket_released') ORDER BY seq`, contract)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	journal, owners := map[string]journalTx{}, map[string]string{}
	for rows.Next() {
		var hash, kind, body string
		if err := rows.Scan(&hash, &kind, &body); err != nil {
			t.Fatal(err)
		}
		var b ledger.TxBody
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			t.Fatal(err)
		}
		if kind == ledger.TxTicketReleased {
			var e ledger.TicketReleasedEffect
			if err := json.Unmarshal(b.Effect, &e); err != nil {
				t.Fatal(err)
			}
			seat := e.Seat.String()
			if owners[seat] != e.Holder {
				t.Errorf("%s releases %s from %s, who did not hold it (%q did)", hash, seat, e.Holder, owners[seat])
			}
			delete(owners, seat)
			journal[hash] = journalTx{kind: "release", holder: e.Holder, seats: []string{seat}}
			continue
		}
		var e ledger.TicketsReservedEffect
		if err := json.Unmarshal(b.Effect, &e); err != nil {
			t.Fatal(err)
		}
		if e.Sender != "" {
			t.Errorf("%s journals the sender %q", hash, e.Sender)
		}
		tx := journalTx{kind: "reserve", holder: e.Holder}
		for _, tk := range e.Tickets {
			seat := tk.Seat.String()
			if prev, sold := owners[seat]; sold {
				t.Errorf("%s sells %s to %s while %s holds it", hash, seat, e.Holder, prev)
			}
			owners[seat] = e.Holder
			tx.seats = append(tx.seats, seat)
		}
		journal[hash] = tx
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return journal, owners
}

// checkTickets compares the tickets table with the replayed owners and returns how many
// seats are sold.
func checkTickets(t *testing.T, db *sql.DB, contract string, owners map[string]string) int64 {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT s.section, s.number, s.letter, t.holder, t.paid
		FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.contract = $1 AND t.sale = 1`, contract)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var held, n int64
	for rows.Next() {
		var seat ledger.Seat
		var holder string
		var paid int64
		if err := rows.Scan(&seat.Section, &seat.Number, &seat.Letter, &holder, &paid); err != nil {
			t.Fatal(err)
		}
		n++
		if holder != owners[seat.String()] {
			t.Errorf("seat %s: tickets table says %q, the journal replayed says %q", seat, holder, owners[seat.String()])
		}
		if holder != "" {
			held++
			if paid != price {
				t.Errorf("seat %s held for %d paid, want %d", seat, paid, price)
			}
		}
	}
	if n != seatRows*seatsPerRow {
		t.Errorf("%d tickets, want %d", n, seatRows*seatsPerRow)
	}
	return held
}

func sameSeats(a []string, b []ledger.Seat) bool {
	if len(a) != len(b) {
		return false
	}
	bs := make([]string, len(b))
	for i, s := range b {
		bs[i] = s.String()
	}
	x := append([]string(nil), a...)
	sort.Strings(x)
	sort.Strings(bs)
	for i := range x {
		if x[i] != bs[i] {
			return false
		}
	}
	return true
}
