package client

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ ledger.Door = (*Client)(nil)

// SetGatePolicy changes the gate policy of the contract's latest sale (its owner only):
// POST GatePolicy. The receipt's effect is the whole policy (ledger.GatePolicyEffect).
func (c *Client) SetGatePolicy(ctx context.Context, address string, ch ledger.GatePolicyChange) (ledger.Receipt, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return ledger.Receipt{}, err
	}
	var out ledger.Receipt
	err := c.do(ctx, http.MethodPost, api.ContractPath(address, "GatePolicy"), ch, &out)
	return out, err
}
