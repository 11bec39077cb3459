package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func ticketsCommand() *cli.Command {
	return &cli.Command{
		Name:   "tickets",
		Usage:  "list a contract's tickets: seat, price, and who holds it (the holder's address; its sender too for the contract's owner)",
		Flags:  append(connFlags(), contractFlag()),
		Action: contractAction(ticketsList),
	}
}

func ticketsList(c *cli.Context, s *session, address string) error {
	tickets, err := s.svc.Tickets(s.ctx, address)
	if err != nil {
		return err
	}
	currency, err := s.currency(address)
	if err != nil {
		return err
	}
	return s.print(tickets, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SEAT\tPRICE\tHOLDER")
		sold := 0
		for _, t := range tickets {
			holder := "available"
			if t.Address != ledger.ZeroAddress {
				holder, sold = t.Address, sold+1
			}
			if t.Sender != "" { // shown to the contract's owner and the administrator only
				holder += " " + t.Sender
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Seat, ledger.FormatAmount(currency, t.Price), holder)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d seats, %d sold, %d available\n", len(tickets), sold, len(tickets)-sold)
	})
}
