package scanner

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// NewNonce returns a fresh nonce for a scan: 16 hex digits. A retry with the same nonce
// gets the same answer, so each new scan needs a new one.
func NewNonce() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Verdict is the door staff's line for one ticket: ADMIT, ADMIT AGAIN (a re-entry), OUT
// (an exit), VALID, ALREADY IN (when and at which gate, and why when the holder went out
// and may not come in again) or REJECT with the reason, the seat, and the name to check
// against an ID when the sale asked for one.
func Verdict(r ledger.CheckResult) string {
	seat := r.Seat.String()
	if seat == "" {
		seat = "?"
	}
	name := ""
	if r.Name != "" {
		name = fmt.Sprintf(" — %s (check ID)", r.Name)
	}
	switch r.Status {
	case ledger.StatusAdmitted:
		return fmt.Sprintf("ADMIT   %s%s", seat, name)
	case ledger.StatusReadmitted:
		return fmt.Sprintf("ADMIT AGAIN  %s%s", seat, name)
	case ledger.StatusExited:
		return fmt.Sprintf("OUT     %s", seat)
	case ledger.StatusValid:
		return fmt.Sprintf("VALID   %s%s", seat, name)
	case ledger.StatusAlreadyCheckedIn:
		at := ""
		if r.CheckedInAt != nil {
			at = " at " + r.CheckedInAt.Local().Format("15:04")
		}
		why := ""
		if r.Reason != "" {
			why = ": " + r.Reason
		}
		return fmt.Sprintf("ALREADY IN  %s%s gate %s%s%s", seat, at, r.Gate, why, name)
	}
	return fmt.Sprintf("REJECT  %s: %s", seat, r.Reason)
}
