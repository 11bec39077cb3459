package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The replay of the work at the door (see verify_state.go): a sale begins with the
// default gate policy, and each TxGatePolicySet gives it the whole policy it records.

// setGatePolicy replays a change of a sale's gate policy.
func (c *projContract) setGatePolicy(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.GatePolicyEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	if s := c.sale(rep, seq, hash, b, e.Sale); s != nil {
		s.gatePolicy = e.Policy
	}
	return nil
}

// compareGatePolicies checks the sales table's gate policy columns against the policy
// the journal last set (the default when it set none). Sales missing on either side are
// compareSales's to report.
func compareGatePolicies(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, number, offline_admission, reentry FROM sales ORDER BY contract, number`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address string
		var number, offline, reentry int64
		if err := rows.Scan(&address, &number, &offline, &reentry); err != nil {
			return err
		}
		if s := p.sale(address, number); s != nil {
			where := fmt.Sprintf("contract %s sale %d", address, number)
			differ(rep, where, "offline_admission", offline != 0, s.gatePolicy.OfflineAdmission)
			differ(rep, where, "reentry", reentry != 0, s.gatePolicy.Reentry)
		}
	}
	return rows.Err()
}
