package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// GateCopies gives the gates' devices their copies of a sale (ledger.GateCopier).
//
// Increments follow the gate_changes log (migration 0026): triggers on tickets and
// device_keys add a row, in the writing transaction, for every change a device must
// learn, so no write path can forget one. A cursor is "<sale>.<seq>", the last row the
// device has seen; an increment is the current state of the seats logged after it. On
// SQLite the one writer numbers the rows in commit order, so the snapshot's last row is
// the cursor. On PostgreSQL writers run concurrently and a row numbered earlier may
// commit later: the cursor is read under the contract's lock taken exclusively for an
// instant, when every writer of the contract has committed (they hold it shared) and
// the next ones can only number after it.
type GateCopies struct{ *db }

var _ ledger.GateCopier = (*GateCopies)(nil)

// GateCopy returns the whole latest sale, or the seats changed since the cursor, for a
// scanner key or the owner's organizer key (or the administrator).
func (s *GateCopies) GateCopy(ctx context.Context, address, cursor string) (ledger.GateCopy, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleScanner, ledger.RoleOrganizer)
	if err != nil {
		return ledger.GateCopy{}, err
	}
	if err := ledger.ValidateAddress(address); err != nil {
		return ledger.GateCopy{}, err
	}
	sale, since, err := parseGateCursor(cursor)
	if err != nil {
		return ledger.GateCopy{}, err
	}
	mark, err := s.gateMark(ctx, address)
	if err != nil {
		return ledger.GateCopy{}, s.internal("reading the gate copy", err)
	}
	var cp ledger.GateCopy
	err = s.snapshot(ctx, func(r runner) error {
		c, err := loadContract(r, address)
		if err != nil {
			return err
		}
		if err := ledger.AuthorizeSeller(actor, c.Owner, address); err != nil {
			return err
		}
		cp, err = readGateCopy(r, c, sale, since, mark)
		return err
	})
	if ledger.ErrorCode(err) == ledger.EINTERNAL {
		return cp, s.internal("reading the gate copy", err)
	}
	return cp, err
}

// parseGateCursor reads "<sale>.<seq>"; "" is sale 0, the whole copy.
func parseGateCursor(cursor string) (sale, seq int64, err error) {
	if cursor == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(cursor, ".")
	sale, err1 := strconv.ParseInt(a, 10, 64)
	seq, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || sale < 0 || seq < 0 || len(cursor) > 40 {
		return 0, 0, ledger.Errorf(ledger.EINVALID, "Cursor must be one a gate copy gave, or empty for the whole copy")
	}
	return sale, seq, nil
}

// gateMark returns, on PostgreSQL, the contract's last change under its lock held
// exclusively (see GateCopies); -1 on SQLite, whose snapshot reads it.
func (s *GateCopies) gateMark(ctx context.Context, address string) (int64, error) {
	if s.d.writeLockSQL == nil {
		return -1, nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.d.writeLockSQL(address, lockExclusive)); err != nil {
		return 0, err
	}
	var mark int64
	err = tx.QueryRowContext(ctx, s.d.bind(`SELECT COALESCE(MAX(seq), 0) FROM gate_changes WHERE contract = ?`), address).Scan(&mark)
	if err != nil {
		return 0, err
	}
	return mark, tx.Commit()
}

// readGateCopy reads the copy in one snapshot: whole when the cursor is of another
// sale, the seats logged after it otherwise.
func readGateCopy(r runner, c ledger.Contract, sale, since, mark int64) (ledger.GateCopy, error) {
	cp := ledger.GateCopy{Contract: c.Address, Venue: c.Venue, Full: true, Tickets: []ledger.GateTicket{}}
	if c.Sale == nil {
		cp.Cursor, cp.GatePolicy = "0.0", ledger.DefaultGatePolicy()
		return cp, nil
	}
	cp.Sale, cp.GatePolicy = c.Sale.Number, c.Sale.GatePolicy
	if mark < 0 {
		if err := r.row(`SELECT COALESCE(MAX(seq), 0) FROM gate_changes WHERE contract = ?`, c.Address).Scan(&mark); err != nil {
			return cp, err
		}
	}
	cp.Cursor = strconv.FormatInt(cp.Sale, 10) + "." + strconv.FormatInt(mark, 10)
	cp.Full = sale != cp.Sale || since > mark
	q, args := gateCopySQL+` ORDER BY t.idx`, []any{c.Address, cp.Sale}
	if !cp.Full {
		q = gateCopySQL + ` AND t.idx IN (SELECT idx FROM gate_changes WHERE contract = ? AND sale = ? AND seq > ?) ORDER BY t.idx`
		args = append(args, c.Address, cp.Sale, since)
	}
	var err error
	cp.Tickets, err = readGateTickets(r, q, args...)
	return cp, err
}

const gateCopySQL = `SELECT s.section, s.number, s.letter, t.owner IS NOT NULL, t.format, t.secret_digest, t.name_digest,
	t.name_ct, t.checked_in_at, t.gate, COALESCE(d.public_key, ''), COALESCE(d.secret_digest, '')
	FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
	LEFT JOIN device_keys d ON d.contract = t.contract AND d.sale = t.sale AND d.idx = t.idx
	WHERE t.contract = ? AND t.sale = ?`

func readGateTickets(r runner, q string, args ...any) ([]ledger.GateTicket, error) {
	rows, err := r.rows(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tickets := []ledger.GateTicket{}
	for rows.Next() {
		t, err := scanGateTicket(rows)
		if err != nil {
			return nil, err
		}
		tickets = append(tickets, t)
	}
	return tickets, rows.Err()
}

func scanGateTicket(rows *sql.Rows) (ledger.GateTicket, error) {
	var t ledger.GateTicket
	var format, sd, nd, nct, key, dd string
	var at int64
	err := rows.Scan(&t.Seat.Section, &t.Seat.Number, &t.Seat.Letter, &t.Sold, &format, &sd, &nd, &nct, &at, &t.Gate, &key, &dd)
	if err != nil || !t.Sold {
		return ledger.GateTicket{Seat: t.Seat}, err
	}
	t.Secure = format == ledger.FormatSecure
	t.SecretDigest, _ = hex.DecodeString(sd)
	t.NameDigest, _ = hex.DecodeString(nd)
	t.NameCiphertext, _ = hex.DecodeString(nct)
	if t.Secure {
		t.DeviceKey, _ = hex.DecodeString(key)
		t.DeviceDigest, _ = hex.DecodeString(dd)
	}
	if at != 0 {
		t.CheckedInAt = time.Unix(0, at).UTC()
	}
	return t, nil
}
