package sqlstore

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// projDevice is a ticket's device key as the journal implies it: its number, the digest
// of its key under the holder key, and the ticket's secret digest when it was registered.
type projDevice struct {
	device       int64
	keyDigest    string
	secretDigest string
	seen         bool
}

// registerDevice replays TxDeviceRegistered: the ticket must be sold to the holder the
// effect names and SECURE, and the device number one more than the last.
func (c *projContract) registerDevice(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.DeviceRegisteredEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	t := s.ticket(rep, seq, hash, b, e.Index)
	if t == nil {
		return nil
	}
	if !t.sold || t.holder != e.Holder || t.format != ledger.FormatSecure {
		problem(rep, "transaction %d (%s): registers a device for seat index %d of contract %s, which is not its holder's SECURE ticket", seq, hash, e.Index, b.Contract)
	}
	if s.devices == nil {
		s.devices = map[int]*projDevice{}
	}
	d := s.devices[e.Index]
	if d == nil {
		d = &projDevice{}
		s.devices[e.Index] = d
	}
	if e.Device != d.device+1 {
		problem(rep, "transaction %d (%s): registers device %d for seat index %d of contract %s after device %d", seq, hash, e.Device, e.Index, b.Contract, d.device)
	}
	d.device, d.keyDigest, d.secretDigest = e.Device, e.KeyDigest, t.secretDigest
	return nil
}

// compareDevices compares the device_keys table with the registrations the journal
// replayed: each row's device number, secret digest and key (by its digest under the
// holder key), and no row the journal lacks or registration the table lacks.
func compareDevices(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, sale, idx, public_key, secret_digest, device FROM device_keys ORDER BY contract, sale, idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address, key, digest string
		var sale, device int64
		var idx int
		if err := rows.Scan(&address, &sale, &idx, &key, &digest, &device); err != nil {
			return err
		}
		where := fmt.Sprintf("contract %s sale %d seat index %d: device key", address, sale, idx)
		var want *projDevice
		if s := p.sale(address, sale); s != nil {
			want = s.devices[idx]
		}
		if want == nil {
			problem(rep, "%s: in the device_keys table, never registered by the journal", where)
			continue
		}
		want.seen = true
		spki, _ := hex.DecodeString(key)
		differ(rep, where, "device", device, want.device)
		differ(rep, where, "secret_digest", digest, want.secretDigest)
		if ledger.DeviceKeyDigest(p.holderKey, address, spki) != want.keyDigest {
			problem(rep, "%s: public_key is not the key the journal registered", where)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	reportMissingDevices(rep, p)
	return nil
}

// reportMissingDevices reports the registrations whose row the table lacks.
func reportMissingDevices(rep *ledger.VerifyReport, p *projection) {
	for _, address := range sortedKeys(p.contracts) {
		for number, s := range p.contracts[address].sales {
			for idx, d := range s.devices {
				if !d.seen {
					problem(rep, "contract %s sale %d seat index %d: device %d registered by the journal, missing from the device_keys table", address, number, idx, d.device)
				}
			}
		}
	}
}
