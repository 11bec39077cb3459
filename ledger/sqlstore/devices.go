package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Devices keeps the device keys of SECURE tickets (ledger.Devices), which the gate
// verifies rotating codes with (gate_rotating.go). A registration presents a wallet
// link's token, read as Wallets reads it.
type Devices struct {
	*db
	holders holderKey
	wallets *Wallets
}

var _ ledger.Devices = (*Devices)(nil)

// RegisterDevice registers the phone's public key for the ticket, replacing the key it
// had, in one write with its journal row (TxDeviceRegistered, under the wallet actor).
// The key is stored with the ticket's secret digest of this moment.
func (s *Devices) RegisterDevice(ctx context.Context, r ledger.DeviceRequest) (ledger.DeviceReceipt, error) {
	if _, err := ledger.ParseWalletToken(r.Token); err != nil {
		return ledger.DeviceReceipt{}, err
	}
	if err := ledger.ValidateAddress(r.Ticket.Contract); err != nil {
		return ledger.DeviceReceipt{}, err
	}
	_, spki, err := ledger.ParseDeviceKey(r.PublicKey)
	if err != nil {
		return ledger.DeviceReceipt{}, err
	}
	var out ledger.DeviceReceipt
	err = s.update(ctx, "registering the device key", ledger.WalletActor, r.Ticket.Contract, lockShared, func(w *wtx) error {
		l, err := s.wallets.link(w.runner, r.Token)
		if err != nil {
			return err
		}
		c, err := w.contract(r.Ticket.Contract, lockShared)
		if err != nil {
			return err
		}
		eff, replaced, err := registerDevice(w, c, l.customer, r, spki, s.holders)
		if err != nil {
			return err
		}
		rc, err := w.journal(ledger.TxDeviceRegistered, c.Address, eff)
		out = ledger.DeviceReceipt{Receipt: rc, Seat: eff.Seat, Device: eff.Device, Replaced: replaced,
			CodePrefix: ledger.RotatingCodePrefix(c.Address, eff.Seat)}
		return err
	})
	return out, err
}

// Device answers the ticket's phone for the wallet link's customer (ledger.DeviceStatus):
// read in one snapshot, journaling nothing.
func (s *Devices) Device(ctx context.Context, token string, id ledger.TicketID) (ledger.DeviceStatus, error) {
	var out ledger.DeviceStatus
	if _, err := ledger.ParseWalletToken(token); err != nil {
		return out, err
	}
	if err := ledger.ValidateAddress(id.Contract); err != nil {
		return out, err
	}
	err := s.snapshot(ctx, func(r runner) error {
		l, err := s.wallets.link(r, token)
		if err != nil {
			return err
		}
		c, err := loadContract(r, id.Contract)
		if err != nil {
			return err
		}
		w := &wtx{runner: r}
		t, seat, err := securedTicket(w, c, l.customer, id)
		if err != nil && ledger.ErrorCode(err) != ledger.ECONFLICT {
			return err
		}
		device, key, digest, err := readDevice(w, c.Address, id.Sale, id.Index)
		out = ledger.DeviceStatus{Seat: seat, CodePrefix: ledger.RotatingCodePrefix(c.Address, seat), Device: device, Now: s.now()}
		if device > 0 && digest == t.digest {
			out.PublicKey = key
		}
		return err
	})
	if err != nil {
		return ledger.DeviceStatus{}, s.internal("reading the device", err)
	}
	return out, nil
}

// registerDevice checks that the customer holds the SECURE ticket, unused, and stores
// the key for it: a new row, or the old row replaced (conditionally on its device
// number, so two registrations at once on PostgreSQL run one after the other).
func registerDevice(w *wtx, c ledger.Contract, customer int64, r ledger.DeviceRequest, spki []byte, holders holderKey) (ledger.DeviceRegisteredEffect, bool, error) {
	var eff ledger.DeviceRegisteredEffect
	t, seat, err := securedTicket(w, c, customer, r.Ticket)
	if err != nil {
		return eff, false, err
	}
	idx := r.Ticket.Index
	prev, _, _, err := readDevice(w, c.Address, c.Sale.Number, idx)
	if err != nil {
		return eff, false, err
	}
	eff = ledger.DeviceRegisteredEffect{Sale: c.Sale.Number, Index: idx, Seat: seat, Holder: t.holder, Device: prev + 1,
		KeyDigest: ledger.DeviceKeyDigest(holders, c.Address, spki)}
	key := hex.EncodeToString(spki)
	var res sql.Result
	if prev == 0 {
		res, err = w.exec(`INSERT INTO device_keys (contract, sale, idx, public_key, secret_digest, device, registered_at)
			VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (contract, sale, idx) DO NOTHING`,
			c.Address, c.Sale.Number, idx, key, t.digest, w.now.UnixNano())
	} else {
		res, err = w.exec(`UPDATE device_keys SET public_key = ?, secret_digest = ?, device = ?, registered_at = ?
			WHERE contract = ? AND sale = ? AND idx = ? AND device = ?`,
			key, t.digest, prev+1, w.now.UnixNano(), c.Address, c.Sale.Number, idx, prev)
	}
	return eff, prev > 0, changedUnlessOne(res, err)
}

// securedTicket reads the ticket a registration is for, and its seat, and checks it: of
// the contract's latest sale, sold to the customer now (a confirmed booking's tickets,
// and those passed on to the customer, are sold to ledger.BookingSender), SECURE, and
// not yet used at the gate. A ticket someone else holds is refused as a free one is, so
// a wallet learns nothing of other customers' seats.
func securedTicket(w *wtx, c ledger.Contract, customer int64, id ledger.TicketID) (heldTicket, ledger.Seat, error) {
	var seat ledger.Seat
	notHeld := ledger.Errorf(ledger.EREFUSED, "Ticket %s is not one of this wallet's tickets", id)
	if c.Sale == nil || id.Sale != c.Sale.Number {
		return heldTicket{}, seat, notHeld
	}
	var t heldTicket
	var format string
	err := w.row(`SELECT t.owner, t.secret_digest, t.holder, t.checked_in_at, t.format, s.section, s.number, s.letter
		FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.contract = ? AND t.sale = ? AND t.idx = ?`, c.Address, id.Sale, id.Index).
		Scan(&t.owner, &t.digest, &t.holder, &t.checkedIn, &format, &seat.Section, &seat.Number, &seat.Letter)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return t, seat, notHeld
	case err != nil:
		return t, seat, err
	case !t.owner.Valid || t.owner.String != ledger.BookingSender(customer):
		return t, seat, notHeld
	case format != ledger.FormatSecure:
		return t, seat, ledger.Errorf(ledger.EREFUSED, "Ticket for seat %s is a %s ticket: only SECURE tickets show a rotating code", seat, format)
	case t.checkedIn != 0:
		return t, seat, ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s was used at the gate: it needs no new phone", seat)
	}
	return t, seat, nil
}

// readDevice returns the ticket's device number (0: it has no device key), its public
// key (SPKI DER) and the secret digest (hex) it was registered with.
func readDevice(w *wtx, address string, sale int64, idx int) (int64, []byte, string, error) {
	var device int64
	var key, digest string
	err := w.row(`SELECT device, public_key, secret_digest FROM device_keys WHERE contract = ? AND sale = ? AND idx = ?`,
		address, sale, idx).Scan(&device, &key, &digest)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, "", nil
	}
	spki, _ := hex.DecodeString(key)
	return device, spki, digest, err
}
