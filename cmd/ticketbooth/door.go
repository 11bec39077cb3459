package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func gatePolicyCommand() *cli.Command {
	return &cli.Command{
		Name:  "gate-policy",
		Usage: "show or change the gate policy of the contract's latest sale: offline admission and re-entry",
		UsageText: "ticketbooth gate-policy --contract ADDR [--offline=false] [--reentry]\n" +
			"   without --offline or --reentry it prints the policy; a flag not given stays as it is;\n" +
			"   the contract's organizer only",
		Flags: append(connFlags(), contractFlag(),
			&cli.BoolFlag{Name: "offline", Usage: "whether gates may admit from their own copy while the server does not answer (a new sale: true); --offline=false forbids it"},
			&cli.BoolFlag{Name: "reentry", Usage: "whether a holder who went out may come in again (a new sale: false); --reentry=false refuses it"},
		),
		Action: contractAction(gatePolicy),
	}
}

func gatePolicy(c *cli.Context, s *session, address string) error {
	var ch ledger.GatePolicyChange
	if c.IsSet("offline") {
		v := c.Bool("offline")
		ch.OfflineAdmission = &v
	}
	if c.IsSet("reentry") {
		v := c.Bool("reentry")
		ch.Reentry = &v
	}
	if ch.Validate() == nil {
		if _, err := s.door.SetGatePolicy(s.ctx, address, ch); err != nil {
			return err
		}
	}
	ct, err := s.svc.Contract(s.ctx, address)
	if err != nil {
		return err
	}
	if ct.Sale == nil {
		return ledger.Errorf(ledger.ECONFLICT, "Contract %s has no sale yet: its gate policy comes with its first sale", address)
	}
	p := ct.Sale.GatePolicy
	return s.print(p, func(w io.Writer) {
		fmt.Fprintf(w, "offline admission  %s\nre-entry           %s\n", allowed(p.OfflineAdmission), allowed(p.Reentry))
	})
}

// allowed words a policy's part.
func allowed(yes bool) string {
	if yes {
		return "allowed"
	}
	return "not allowed"
}
