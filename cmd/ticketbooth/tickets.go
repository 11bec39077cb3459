package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func ticketsCommand() *cli.Command {
	return &cli.Command{
		Name: "tickets",
		Usage: "list a contract's tickets: seat, price, and who holds it (the holder's address; its sender too for the contract's owner); " +
			"with --owner, --booking, --status, --sort-by and the like, the shop's ticket list",
		Description: "With any of --status, --format, --owner, --booking, --sale, --ids, --sort-by, --direction or --with, the " +
			"command lists the shop's tickets (GET /api/v1.0/tickets): each ticket's seat, status, format, price, booking, " +
			"customer and id, found by --contract, --owner, --booking or --ids (at least one), in the order asked.",
		UsageText: "ticketbooth tickets --contract ADDR\n" +
			"ticketbooth tickets [--contract ADDR] [--owner ID] [--booking ID] [--status reserved] [--format SECURE] [--sort-by price --direction desc] [--with '[booking,sale]']",
		Flags:  append(append(connFlags(), contractFlag()), findFlags()...),
		Action: ticketsAction,
	}
}

func ticketsList(c *cli.Context, s *session, address string) error {
	tickets, err := readTickets(c, s, address)
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
		sold, held := 0, 0
		for _, t := range tickets {
			holder := "available"
			switch {
			case t.Address != ledger.ZeroAddress:
				holder, sold = t.Address, sold+1
			case t.Status != "":
				holder, held = "held by a booking", held+1
			}
			if t.Sender != "" { // shown to the contract's owner and the administrator only
				holder += " " + t.Sender
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Seat, ledger.FormatAmount(currency, t.Price), holder)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d seats, %d sold, %s%d available\n", len(tickets), sold, heldCount(held), len(tickets)-sold-held)
	})
}

// heldCount words how many seats bookings hold, for the list's last line: nothing when
// none are, so that a list without holds reads as before.
func heldCount(held int) string {
	if held == 0 {
		return ""
	}
	return fmt.Sprintf("%d held, ", held)
}

// ticketPager is the server's ticket list read a page at a time (client.Client).
type ticketPager interface {
	TicketPages(ctx context.Context, address string, limit int) iter.Seq2[ledger.TicketPage, error]
}

// listPage is how many tickets the command asks a server for at a time, and
// longListPages how many pages make a list long enough to show progress on stderr.
const (
	listPage      = 1000
	longListPages = 10
)

// readTickets reads the contract's ticket list: from a server a page at a time (each
// request short, whatever the list's length), showing how far it got on stderr for a long
// list; in process whole.
func readTickets(c *cli.Context, s *session, address string) ([]ledger.Ticket, error) {
	pager, ok := s.svc.(ticketPager)
	if !ok {
		return s.svc.Tickets(s.ctx, address)
	}
	var all []ledger.Ticket
	long := false
	for page, err := range pager.TicketPages(s.ctx, address, listPage) {
		if err != nil {
			return nil, err
		}
		all = append(all, page.Tickets...)
		if long = page.Total > longListPages*listPage; long {
			fmt.Fprintf(c.App.ErrWriter, "\rread %d of %d tickets", len(all), page.Total)
		}
	}
	if long {
		fmt.Fprintln(c.App.ErrWriter)
	}
	return all, nil
}
