package ledger

import "strings"

// The directions of a scan: in at the door (the default), or out of it. An out scan of
// a ticket inside records the exit (StatusExited); an in scan of a ticket that went out
// admits it again (StatusReadmitted) when its sale's GatePolicy allows re-entry, and is
// StatusAlreadyCheckedIn otherwise, with the reason in words.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// MsgNoReentry is the reason an in scan of a ticket that went out is refused when its
// sale does not allow re-entry.
const MsgNoReentry = "re-entry is not allowed at this event: the holder went out"

// CleanDirection returns a scan's direction as the ledger records it: DirectionIn for ""
// and any case of "in", DirectionOut for "out"; EINVALID for anything else.
func CleanDirection(d string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(d)) {
	case "", DirectionIn:
		return DirectionIn, nil
	case DirectionOut:
		return DirectionOut, nil
	}
	return "", Errorf(EINVALID, "Direction must be in or out")
}
