package ledger

import "context"

// TxGatePolicySet is the journal kind of a change of a sale's gate policy.
const TxGatePolicySet = "gate_policy_set"

// GatePolicy is the organizer's rules at the gates for one sale: whether a gate's device
// may admit from its own copy of the tickets while the server does not answer
// (OfflineAdmission, allowed by default), and whether a holder who went out may come in
// again (Reentry, refused by default).
type GatePolicy struct {
	OfflineAdmission bool `json:"offlineAdmission"`
	Reentry          bool `json:"reentry"`
}

// DefaultGatePolicy is the policy of a sale whose organizer set none: offline admission
// allowed, re-entry refused.
func DefaultGatePolicy() GatePolicy { return GatePolicy{OfflineAdmission: true} }

// GatePolicyChange names the parts of a sale's gate policy to change; a nil part stays as
// it is.
type GatePolicyChange struct {
	OfflineAdmission *bool `json:"offlineAdmission,omitempty"`
	Reentry          *bool `json:"reentry,omitempty"`
}

// Apply returns the policy p with the change made.
func (ch GatePolicyChange) Apply(p GatePolicy) GatePolicy {
	if ch.OfflineAdmission != nil {
		p.OfflineAdmission = *ch.OfflineAdmission
	}
	if ch.Reentry != nil {
		p.Reentry = *ch.Reentry
	}
	return p
}

// Validate returns EINVALID when the change names no part to change.
func (ch GatePolicyChange) Validate() error {
	if ch.OfflineAdmission == nil && ch.Reentry == nil {
		return Errorf(EINVALID, "Give offlineAdmission, reentry or both (true or false): the gate policy was left as it is")
	}
	return nil
}

// Door is the ledger's side of the work at the door beyond scanning, implemented by the
// SQL store: the organizer's gate policy of a sale.
type Door interface {
	// SetGatePolicy changes the gate policy of the contract's latest sale and journals the
	// policy it then has (TxGatePolicySet): the owner's organizer key (or the
	// administrator) only; ECONFLICT before any sale has begun.
	SetGatePolicy(ctx context.Context, address string, ch GatePolicyChange) (Receipt, error)
}
