package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// findFlags are the tickets command's flags of the shop's ticket list (GET
// /api/v1.0/tickets); any of them (but --contract) makes the command list it.
func findFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "status", Usage: "only tickets of this `STATUS`: available, reserved, issued or \"checked in\""},
		&cli.StringFlag{Name: "format", Usage: "only tickets of this `FORMAT`: PDF or SECURE"},
		&cli.Int64Flag{Name: "owner", Usage: "the tickets of the bookings of the customer with this `ID`"},
		&cli.Int64Flag{Name: "booking", Usage: "the tickets of the booking with this `ID`"},
		&cli.Int64Flag{Name: "sale", Usage: "with --contract: the sale numbered `N` (default: the latest)"},
		&cli.StringFlag{Name: "ids", Usage: "the tickets with these `IDS` (ADDRESS:SALE:INDEX, comma-separated)"},
		&cli.StringFlag{Name: "sort-by", Usage: "sort by `COLUMN`: seat (default), price, status, booking, format or sale"},
		&cli.StringFlag{Name: "direction", Usage: "sort `DIRECTION`: asc (default) or desc"},
		&cli.StringFlag{Name: "with", Usage: "related records to include, e.g. '[booking,booking.customer,sale]' (`RELATIONS`; shown with --json)"},
	}
}

// findAsked reports whether the command line asks for the shop's ticket list.
func findAsked(c *cli.Context) bool {
	for _, f := range findFlags() {
		if c.IsSet(f.Names()[0]) {
			return true
		}
	}
	return false
}

// ticketsAction lists the shop's tickets when a find flag is given, else the
// contract's Ticketbooth list.
func ticketsAction(c *cli.Context) error {
	if !findAsked(c) {
		return contractAction(ticketsList)(c)
	}
	q, err := findQuery(c)
	if err != nil {
		return err
	}
	s, err := open(c)
	if err != nil {
		return err
	}
	defer s.close()
	return ticketsFind(s, q)
}

// findQuery reads the flags into a ticket query, the way the server reads its
// parameters: EINVALID in words for a bad one.
func findQuery(c *cli.Context) (ledger.TicketQuery, error) {
	v := map[string][]string{}
	for _, name := range []string{"contract", "status", "format", "ids", "with", "direction"} {
		if c.String(name) != "" {
			v[name] = []string{c.String(name)}
		}
	}
	if c.IsSet("sort-by") {
		v["sort_by"] = []string{c.String("sort-by")}
	}
	for _, name := range []string{"owner", "booking", "sale"} {
		if c.IsSet(name) {
			v[name] = []string{strconv.FormatInt(c.Int64(name), 10)}
		}
	}
	v["limit"] = []string{strconv.Itoa(ledger.MaxTicketListLimit)}
	return api.ParseTicketQuery(v)
}

// ticketsFind reads every page of the query and prints the tickets.
func ticketsFind(s *session, q ledger.TicketQuery) error {
	tickets := []ledger.ListedTicket{}
	for {
		page, err := s.ticketLists.ListTickets(s.ctx, q)
		if err != nil {
			return err
		}
		tickets = append(tickets, page.Tickets...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	currencies := map[string]string{}
	for _, t := range tickets {
		if _, ok := currencies[t.Contract]; !ok {
			cur, err := s.currency(t.Contract)
			if err != nil {
				return err
			}
			currencies[t.Contract] = cur
		}
	}
	return s.print(tickets, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SEAT\tSTATUS\tFORMAT\tPRICE\tBOOKING\tCUSTOMER\tID")
		for _, t := range tickets {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Seat, t.Status, t.Format, ledger.FormatAmount(currencies[t.Contract], t.Price),
				orDash(t.Booking), orDash(t.Customer), t.ID)
		}
		tw.Flush()
		fmt.Fprintf(w, "%d tickets\n", len(tickets))
	})
}

// orDash writes a record's id, "-" for none.
func orDash(id int64) string {
	if id == 0 {
		return "-"
	}
	return strconv.FormatInt(id, 10)
}
