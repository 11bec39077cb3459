package sqlstore

import (
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The gate's side of rotating codes (ledger/rotating.go): a SECURE ticket whose holder
// registered a phone (Devices) is admitted by the phone's current code, and no longer by
// its static QR.

// Reasons the gate gives for rotating codes and SECURE tickets, for the door staff.
const (
	msgStaticSecure = ledger.MsgStaticSecure
	msgNoDevice     = ledger.MsgNoDevice
	msgDeviceStale  = ledger.MsgDeviceStale
	msgOtherCode    = ledger.MsgOtherCode
)

// checkCode decides the ticket of a rotating code and, when it is genuine and current,
// admits it as a static QR's ticket is admitted: the ticket must be sold and SECURE, its
// device key registered for the secret it still has, the signature the device's, and
// the step within ledger.RotatingWindow of the gate's clock (the ledger's).
func checkCode(w *wtx, c ledger.Contract, code ledger.RotatingCode, r ledger.CheckInRequest) (ledger.CheckResult, error) {
	res := ledger.CheckResult{Seat: code.Seat}
	if code.Contract != c.Address {
		res.Status, res.Reason = ledger.StatusInvalid, msgOtherCode
		return res, nil
	}
	idx, st, res, err := loadChecked(w, c, code.Seat, res)
	if err != nil || res.Status != "" {
		return res, err
	}
	device, key, digest, err := readDevice(w, c.Address, c.Sale.Number, idx)
	switch {
	case err != nil:
		return res, err
	case st.format != ledger.FormatSecure || device == 0:
		res.Status, res.Reason = ledger.StatusInvalid, msgNoDevice
	case digest != st.digest:
		res.Status, res.Reason = ledger.StatusInvalid, msgDeviceStale
	default:
		if why := ledger.VerifyRotatingCode(code, key, w.now); why != "" {
			res.Status, res.Reason = ledger.StatusInvalid, why
		}
	}
	if res.Status != "" {
		return res, nil
	}
	// The code carries no name key: under the identity policy the door checks an ID
	// against the booking by hand (IdentityCheckRequired), and no name is shown.
	return admit(w, c, idx, st, r, res)
}

// loadChecked finds the seat's ticket in the latest sale, answering (with res's Status
// set) a contract without a sale, a seat it lacks, and a ticket not sold.
func loadChecked(w *wtx, c ledger.Contract, seat ledger.Seat, res ledger.CheckResult) (int, storedTicket, ledger.CheckResult, error) {
	if c.Sale == nil {
		res.Status, res.Reason = ledger.StatusNoSale, "this contract has had no sale"
		return 0, storedTicket{}, res, nil
	}
	idx, err := seatIndex(w, c.Address, seat)
	if ledger.ErrorCode(err) == ledger.EREFUSED {
		res.Status, res.Reason = ledger.StatusUnknownSeat, "no seat "+seat.String()+" at "+c.Venue
		return 0, storedTicket{}, res, nil
	}
	if err != nil {
		return 0, storedTicket{}, res, err
	}
	st, err := loadStored(w, c, idx)
	if err != nil {
		return idx, st, res, err
	}
	if !st.owner.Valid {
		res.Status, res.Reason = ledger.StatusNotSold, "seat "+seat.String()+" is not sold (free or released)"
		return idx, st, res, nil
	}
	res.IdentityCheckRequired = len(st.NameCiphertext) > 0
	return idx, st, res, nil
}

// refuseStaticSecure refuses the genuine static QR of a SECURE ticket whose phone is
// registered for its current secret; it returns res unchanged (Status "") otherwise.
func refuseStaticSecure(w *wtx, c ledger.Contract, idx int, st storedTicket, res ledger.CheckResult) (ledger.CheckResult, error) {
	device, _, digest, err := readDevice(w, c.Address, c.Sale.Number, idx)
	if err != nil || device == 0 || digest != st.digest {
		return res, err
	}
	res.Status, res.Reason, res.Name = ledger.StatusInvalid, msgStaticSecure, ""
	return res, nil
}
