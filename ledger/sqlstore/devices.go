package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Devices keeps the device keys of SECURE tickets (ledger.Devices), which the gate
// verifies rotating codes with (gate_rotating.go).
type Devices struct {
	*db
	holders holderKey
}

var _ ledger.Devices = (*Devices)(nil)

// RegisterDevice registers the phone's public key for the ticket, replacing the key it
// had, in one write with its journal row (TxDeviceRegistered, under the wallet actor).
// The key is stored with the ticket's secret digest of this moment.
func (s *Devices) RegisterDevice(ctx context.Context, r ledger.DeviceRequest) (ledger.DeviceReceipt, error) {
	if err := ledger.ValidateAddress(r.Contract); err != nil {
		return ledger.DeviceReceipt{}, err
	}
	if err := r.Seat.Validate(); err != nil {
		return ledger.DeviceReceipt{}, err
	}
	_, spki, err := ledger.ParseDeviceKey(r.PublicKey)
	if err != nil {
		return ledger.DeviceReceipt{}, err
	}
	var out ledger.DeviceReceipt
	err = s.update(ctx, "registering the device key", ledger.WalletActor, r.Contract, lockShared, func(w *wtx) error {
		c, err := w.contract(r.Contract, lockShared)
		if err != nil {
			return err
		}
		eff, replaced, err := registerDevice(w, c, r, spki, s.holders)
		if err != nil {
			return err
		}
		rc, err := w.journal(ledger.TxDeviceRegistered, r.Contract, eff)
		out = ledger.DeviceReceipt{Receipt: rc, Device: eff.Device, Replaced: replaced,
			CodePrefix: ledger.RotatingCodePrefix(r.Contract, r.Seat)}
		return err
	})
	return out, err
}

// registerDevice checks that the customer holds the SECURE ticket at the seat, unused,
// and stores the key for it: a new row, or the old row replaced (conditionally on its
// device number, so two registrations at once on PostgreSQL run one after the other).
func registerDevice(w *wtx, c ledger.Contract, r ledger.DeviceRequest, spki []byte, holders holderKey) (ledger.DeviceRegisteredEffect, bool, error) {
	var eff ledger.DeviceRegisteredEffect
	t, idx, err := securedTicket(w, c, r)
	if err != nil {
		return eff, false, err
	}
	prev, _, _, err := readDevice(w, c.Address, c.Sale.Number, idx)
	if err != nil {
		return eff, false, err
	}
	eff = ledger.DeviceRegisteredEffect{Sale: c.Sale.Number, Index: idx, Seat: r.Seat, Holder: t.holder, Device: prev + 1,
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

// securedTicket reads the ticket a registration is for and checks it: sold to the
// customer (a confirmed booking's tickets are sold to ledger.BookingSender), SECURE, and
// not yet used at the gate. A ticket someone else holds is refused as a free one is, so
// a wallet learns nothing of other customers' seats.
func securedTicket(w *wtx, c ledger.Contract, r ledger.DeviceRequest) (heldTicket, int, error) {
	notHeld := ledger.Errorf(ledger.EREFUSED, "Seat %s is not one of this wallet's tickets", r.Seat)
	if c.Sale == nil {
		return heldTicket{}, 0, notHeld
	}
	idx, err := seatIndex(w, c.Address, r.Seat)
	if err != nil {
		return heldTicket{}, 0, err
	}
	t, err := readHeld(w, c.Address, c.Sale.Number, idx)
	if err != nil {
		return t, idx, err
	}
	var format string
	if err := w.row(`SELECT format FROM tickets WHERE contract = ? AND sale = ? AND idx = ?`, c.Address, c.Sale.Number, idx).Scan(&format); err != nil {
		return t, idx, err
	}
	switch {
	case !t.owner.Valid || t.owner.String != ledger.BookingSender(r.Customer):
		return t, idx, notHeld
	case format != ledger.FormatSecure:
		return t, idx, ledger.Errorf(ledger.EREFUSED, "Ticket for seat %s is a %s ticket: only SECURE tickets show a rotating code", r.Seat, format)
	case t.checkedIn != 0:
		return t, idx, ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s was used at the gate: it needs no new phone", r.Seat)
	}
	return t, idx, nil
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
