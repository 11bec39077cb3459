package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Bam keeps the numbers seed 002's wallet platform gives this ledger's records
// (ledger.BamIDs) in the bam_ids table: events (contracts), timeslots (sales), sectors
// (sections) and ticket configs (ticket types of a sale). A ticket's number is computed
// from its timeslot's (ledger.BamTicketID), so tickets need no row of their own. The
// numbers are names, not state: they are not journaled, and `ledger verify` ignores them.
type Bam struct {
	*db
}

var _ ledger.BamIDs = (*Bam)(nil)

// bamRecord is a row of bam_ids.
type bamRecord struct {
	id         int64
	kind, name string
	sale       int64
}

// The kinds of bam_ids rows.
const (
	bamEvent        = "event"
	bamTimeslot     = "timeslot"
	bamSector       = "sector"
	bamTicketConfig = "ticket_config"
)

// BamEvent returns the contract as an event, numbering first what has no number yet:
// the contract, its sections, its sales, and each sale's base prices and ticket types.
func (s *Bam) BamEvent(ctx context.Context, address string) (ledger.BamEvent, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer)
	if err != nil {
		return ledger.BamEvent{}, err
	}
	c, err := s.sellerContract(s.reader(ctx), actor, address)
	if err != nil {
		return ledger.BamEvent{}, err
	}
	wanted, err := bamWanted(s.reader(ctx), c)
	if err != nil {
		return ledger.BamEvent{}, s.internal("reading the event", err)
	}
	recs, err := bamRecords(s.reader(ctx), address)
	if err != nil {
		return ledger.BamEvent{}, s.internal("reading the event", err)
	}
	if missing := bamMissing(wanted, recs); len(missing) > 0 {
		if recs, err = s.number(ctx, actor, address, missing); err != nil {
			return ledger.BamEvent{}, err
		}
	}
	return s.event(ctx, c, recs)
}

// sellerContract reads the contract the actor may sell on: ENOTFOUND for an unknown
// one, EFORBIDDEN for another organizer's.
func (s *Bam) sellerContract(r runner, actor ledger.Actor, address string) (ledger.Contract, error) {
	c, err := loadContract(r, address)
	if err != nil {
		return c, err
	}
	return c, ledger.AuthorizeSeller(actor, c.Owner, address)
}

// bamWanted lists the records the contract must have numbers for.
func bamWanted(r runner, c ledger.Contract) ([]bamRecord, error) {
	sections, err := r.strings(`SELECT DISTINCT section FROM seats WHERE contract = ?`, c.Address)
	if err != nil {
		return nil, err
	}
	sales, err := r.int64s(`SELECT number FROM sales WHERE contract = ?`, c.Address)
	if err != nil {
		return nil, err
	}
	out := []bamRecord{{kind: bamEvent}}
	for _, name := range sections {
		out = append(out, bamRecord{kind: bamSector, name: name})
	}
	for _, sale := range sales {
		out = append(out, bamRecord{kind: bamTimeslot, sale: sale}, bamRecord{kind: bamTicketConfig, sale: sale})
		types, err := loadTicketTypes(r, c.Address, sale)
		if err != nil {
			return nil, err
		}
		for _, tt := range types {
			out = append(out, bamRecord{kind: bamTicketConfig, sale: sale, name: tt.Name})
		}
	}
	return out, nil
}

// bamRecords reads the contract's numbered records, by kind, sale and name.
func bamRecords(r runner, address string) ([]bamRecord, error) {
	rows, err := r.rows(`SELECT id, kind, sale, name FROM bam_ids WHERE contract = ? ORDER BY kind, sale, name`, address)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bamRecord
	for rows.Next() {
		var b bamRecord
		if err := rows.Scan(&b.id, &b.kind, &b.sale, &b.name); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// bamMissing returns the wanted records that have no number among recs.
func bamMissing(wanted, recs []bamRecord) []bamRecord {
	var out []bamRecord
	for _, w := range wanted {
		if !slices.ContainsFunc(recs, func(r bamRecord) bool { return r.kind == w.kind && r.sale == w.sale && r.name == w.name }) {
			out = append(out, w)
		}
	}
	return out
}

// number gives the missing records random numbers and returns all the contract's
// records. Two requests numbering the same record at once agree: the second insert
// does nothing and both read the first's number. A random number already taken is drawn
// again.
func (s *Bam) number(ctx context.Context, actor ledger.Actor, address string, missing []bamRecord) ([]bamRecord, error) {
	var recs []bamRecord
	err := s.update(ctx, "numbering the event", actor, "", lockUnrelated, func(w *wtx) error {
		for attempt := 0; len(missing) > 0; attempt++ {
			if attempt == 3 {
				return errors.New("no free random number for the event's records")
			}
			for _, m := range missing {
				if _, err := w.exec(`INSERT INTO bam_ids (id, kind, contract, sale, name) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
					newBamID(), m.kind, address, m.sale, m.name); err != nil {
					return err
				}
			}
			var err error
			if recs, err = bamRecords(w.runner, address); err != nil {
				return err
			}
			missing = bamMissing(missing, recs)
		}
		return nil
	})
	return recs, err
}

// newBamID returns a random number from 1 to ledger.BamMaxRecordID-1.
func newBamID() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])%(ledger.BamMaxRecordID-1)) + 1
}

// event assembles the contract's event from its numbered records and its sales.
func (s *Bam) event(ctx context.Context, c ledger.Contract, recs []bamRecord) (ledger.BamEvent, error) {
	e := ledger.BamEvent{Contract: c.Address, Venue: c.Venue, Sectors: []ledger.BamSector{}, Timeslots: []ledger.BamTimeslot{}}
	for _, r := range recs {
		switch r.kind {
		case bamEvent:
			e.ID = r.id
		case bamSector:
			e.Sectors = append(e.Sectors, ledger.BamSector{ID: r.id, Section: r.name})
		case bamTimeslot:
			e.Timeslots = append(e.Timeslots, ledger.BamTimeslot{ID: r.id, Sale: r.sale, TicketConfigs: []ledger.BamTicketConfig{}})
		}
	}
	for _, r := range recs {
		if i := slices.IndexFunc(e.Timeslots, func(t ledger.BamTimeslot) bool { return t.Sale == r.sale }); r.kind == bamTicketConfig && i >= 0 {
			e.Timeslots[i].TicketConfigs = append(e.Timeslots[i].TicketConfigs, ledger.BamTicketConfig{ID: r.id, Type: r.name})
		}
	}
	return e, s.saleDetails(ctx, c, e.Timeslots)
}

// saleDetails fills the timeslots' names, show times and whether they are on sale now.
func (s *Bam) saleDetails(ctx context.Context, c ledger.Contract, ts []ledger.BamTimeslot) error {
	height := s.clock.Height(s.now())
	for i := range ts {
		err := s.reader(ctx).row(`SELECT name, show_time FROM sales WHERE contract = ? AND number = ?`, c.Address, ts[i].Sale).
			Scan(&ts[i].Name, &ts[i].Time)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s.internal("reading the event's sales", err)
		}
		ts[i].OnSale = c.Sale != nil && c.Sale.Number == ts[i].Sale && ledger.SaleOpen(c, height)
	}
	return nil
}

// BamEventByID returns the event numbered id: ENOTFOUND when there is none.
func (s *Bam) BamEventByID(ctx context.Context, id int64) (ledger.BamEvent, error) {
	if _, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer); err != nil {
		return ledger.BamEvent{}, err
	}
	address, err := s.recordContract(ctx, bamEvent, id)
	if err != nil {
		return ledger.BamEvent{}, err
	}
	return s.BamEvent(ctx, address)
}

// recordContract returns the contract of the record of the kind numbered id, ENOTFOUND
// naming the kind when there is none.
func (s *Bam) recordContract(ctx context.Context, kind string, id int64) (string, error) {
	var address string
	err := s.reader(ctx).row(`SELECT contract FROM bam_ids WHERE id = ? AND kind = ?`, id, kind).Scan(&address)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ledger.Errorf(ledger.ENOTFOUND, "No %s with id %d", bamKindWords(kind), id)
	}
	if err != nil {
		return "", s.internal("reading the event", err)
	}
	return address, nil
}

// bamKindWords names a kind of record in a message.
func bamKindWords(kind string) string {
	if kind == bamTicketConfig {
		return "ticket config"
	}
	return kind
}
