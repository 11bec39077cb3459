package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/delivery"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func bookingCommand() *cli.Command {
	id := func() cli.Flag {
		return &cli.Int64Flag{Name: "booking", Aliases: []string{"b"}, Required: true, Usage: "the booking's `ID` ('booking new' printed it)"}
	}
	seats := func(usage string, required bool) cli.Flag {
		return &cli.StringSliceFlag{Name: "seat", Aliases: []string{"seats"}, Required: required, Usage: usage}
	}
	return &cli.Command{
		Name:  "booking",
		Usage: "the box office's bookings: seats held for a customer until confirmed, freed, cancelled or expired",
		Subcommands: []*cli.Command{
			{Name: "new", Usage: "open a booking for a customer on the contract's open sale",
				UsageText: "ticketbooth booking new --contract ADDR --customer ID [--format SECURE]",
				Flags: append(connFlags(), contractFlag(),
					&cli.Int64Flag{Name: "customer", Required: true, Usage: "the customer's `ID`"},
					&cli.StringFlag{Name: "format", Value: ledger.FormatPDF,
						Usage: "the booking's ticket `FORMAT`: PDF (attached to the confirmation) or SECURE (delivered to the wallet app)"}),
				Action: contractAction(bookingNew)},
			{Name: "add", Usage: "hold seats for the booking, named or the best available (the sale's hold time runs from its first hold, 30 minutes unless the sale says)",
				UsageText: "ticketbooth booking add --booking ID --seat 1A [--seat 1B] [--type NAME]\n" +
					"   ticketbooth booking add --booking ID --quantity 3 [--section Standing] [--price-level 35.00] [--type NAME]",
				Flags: append(connFlags(), id(), seats("a seat to hold (1A, 12, A or Section/12A); repeat or comma-separate for several", false),
					&cli.IntFlag{Name: "quantity", Usage: "hold `N` seats the ledger picks, best available (adjacent in the best row), or N places of a standing section"},
					&cli.StringFlag{Name: "section", Usage: "with --quantity: pick in the section `NAME` (default: any section)"},
					&cli.StringFlag{Name: "price-level", Usage: "with --quantity: pick among the seats whose base price is `PRICE`, in the sale's currency (e.g. 35.00)"},
					&cli.StringFlag{Name: "type", Usage: "hold the seats (named or picked) as the sale's ticket type `NAME`, at its prices (default: the base prices)"}),
				Action: bookingAction(bookingAdd)},
			{Name: "free", Usage: "return one held seat of the booking to sale",
				UsageText: "ticketbooth booking free --booking ID --seat 1A",
				Flags:     append(connFlags(), id(), seats("the held seat to free", true)),
				Action:    bookingAction(bookingFree)},
			{Name: "confirm", Usage: "issue the booking's held seats as tickets, within its hold, and write them (PDF, QR PNG or JSON)",
				UsageText: "ticketbooth booking confirm --booking ID [--name NAME] [--amount N] --out FILE",
				Flags: append(connFlags(), id(), customerNameFlag(),
					&cli.StringFlag{Name: "amount", Usage: "amount paid in the sale's currency, e.g. 70.00 (default: the total); over-payment is refunded"},
					&cli.StringFlag{Name: "out", Required: true, Usage: "write the tickets to `FILE` (.pdf, .png or .json)"},
					&cli.StringFlag{Name: "layout", Value: "a4", Usage: "the page the tickets print on: a4 or a6"}),
				Action: bookingAction(bookingConfirm)},
			{Name: "send", Usage: "send the confirmed booking's tickets to its customer again by e-mail: REISSUED, with new QR codes (the old ones are refused at the gate from then on)",
				UsageText: "ticketbooth booking send --booking ID [--name NAME]\n" +
					"   The ledger never keeps a ticket's keys, so its QR code cannot be sent again: each ticket not yet checked in\n" +
					"   is reissued (a new secret) and the new ones are mailed in one e-mail; tickets checked in are skipped, and named.\n" +
					"   Through --server the server's mail settings apply; in-process the mail is written into the outbox folder\n" +
					"   beside --db (FILE.outbox), without Wallet passes, and with a wallet link only given --public-url.",
				Flags: append(connFlags(), id(),
					&cli.StringFlag{Name: "name", Usage: "under the identity policy, the purchaser's `NAME` sealed into the new tickets (default: the customer's name on record)"},
					&cli.StringFlag{Name: "public-url", EnvVars: []string{"TICKETBOOTH_PUBLIC_URL"}, Usage: "in-process: the `URL` the server is reached at, for the mail's wallet link (default: no link)"}),
				Action: bookingAction(bookingSend)},
			{Name: "cancel", Usage: "cancel the booking and return its held seats to sale",
				UsageText: "ticketbooth booking cancel --booking ID",
				Flags:     append(connFlags(), id()),
				Action:    bookingAction(bookingCancel)},
			{Name: "show", Usage: "show the booking: its state, hold expiry and tickets",
				UsageText: "ticketbooth booking show --booking ID",
				Flags:     append(connFlags(), id()),
				Action:    bookingAction(bookingShow)},
		},
	}
}

// bookingAction opens the session for a booking command.
func bookingAction(fn func(c *cli.Context, s *session, id int64) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		s, err := open(c)
		if err != nil {
			return err
		}
		defer s.close()
		return fn(c, s, c.Int64("booking"))
	}
}

func bookingNew(c *cli.Context, s *session, address string) error {
	b, err := s.bookings.OpenBooking(s.ctx, ledger.BookingRequest{Contract: address, Customer: c.Int64("customer"), Format: c.String("format")})
	if err != nil {
		return err
	}
	return s.printBooking(b, "opened booking")
}

func bookingAdd(c *cli.Context, s *session, id int64) error {
	picking := c.IsSet("quantity") || c.IsSet("section") || c.IsSet("price-level")
	switch {
	case picking && c.IsSet("seat"):
		return usagef("give either --seat or --quantity (with --section, --price-level), not both")
	case picking:
		return bookingPick(c, s, id)
	case !c.IsSet("seat"):
		return usagef("give --seat SEAT to hold, or --quantity N for the best available")
	}
	seats, err := parseSeatList(strings.Join(c.StringSlice("seat"), ","))
	if err != nil {
		return err
	}
	rc, err := s.bookings.Hold(s.ctx, id, ledger.HoldSeats(c.String("type"), seats...))
	if err != nil {
		return err
	}
	return s.printBooking(rc, "held seats for booking")
}

// bookingPick holds the seats the ledger picks: --quantity of them, in --section, at
// --price-level (read in the sale's currency).
func bookingPick(c *cli.Context, s *session, id int64) error {
	if !c.IsSet("quantity") {
		return usagef("--quantity N is required with --section or --price-level: how many to hold")
	}
	p := ledger.Pick{Section: c.String("section"), Quantity: c.Int("quantity"), Type: c.String("type")}
	if c.IsSet("price-level") {
		b, err := s.bookings.Booking(s.ctx, id)
		if err != nil {
			return err
		}
		currency, err := s.currency(b.Contract)
		if err != nil {
			return err
		}
		if p.PriceLevel, err = ledger.ParseAmount(currency, c.String("price-level")); err != nil {
			return err
		}
	}
	rc, err := s.bookings.HoldBest(s.ctx, id, p)
	if err != nil {
		return err
	}
	return s.printBooking(rc, "held the best available for booking")
}

func bookingFree(c *cli.Context, s *session, id int64) error {
	seats, err := parseSeatList(strings.Join(c.StringSlice("seat"), ","))
	if err != nil {
		return err
	}
	if len(seats) != 1 {
		return usagef("--seat names the one seat to free")
	}
	rc, err := s.bookings.Free(s.ctx, id, seats[0])
	if err != nil {
		return err
	}
	return s.printBooking(rc, "freed "+seats[0].String()+" of booking")
}

func bookingCancel(c *cli.Context, s *session, id int64) error {
	rc, err := s.bookings.Cancel(s.ctx, id)
	if err != nil {
		return err
	}
	return s.printBooking(rc, "cancelled booking")
}

func bookingShow(c *cli.Context, s *session, id int64) error {
	b, err := s.bookings.Booking(s.ctx, id)
	if err != nil {
		return err
	}
	return s.printBooking(b, "booking")
}

func bookingConfirm(c *cli.Context, s *session, id int64) error {
	out, format, layout, err := ticketOutput(c)
	if err != nil {
		return err
	}
	b, err := s.bookings.Booking(s.ctx, id)
	if err != nil {
		return err
	}
	req := issuer.ConfirmRequest{CustomerName: c.String("name"), Layout: layout}
	currency, amount, err := s.amountFlag(c, b.Contract)
	if err != nil {
		return err
	}
	req.Amount = amount
	p, err := s.confirmer.ConfirmBooking(s.ctx, id, req)
	if err != nil {
		return err
	}
	files, err := writePurchase(s, p, out, format, layout)
	if err != nil {
		return fmt.Errorf("booking %d was confirmed (transaction %s) but writing %s failed: %w", id, p.TransactionHash, out, err)
	}
	return s.print(p, func(w io.Writer) {
		fmt.Fprintf(w, "confirmed booking %d: %s, total %s, refunded %s, reference %s\ntransaction %s\nwrote %s\n",
			id, seatNames(p.Tickets), ledger.FormatAmount(currency, p.Total), ledger.FormatAmount(currency, p.Refunded),
			issuer.Reference(p.TransactionHash), p.TransactionHash, strings.Join(files, ", "))
	})
}

// bookingSend reissues the booking's tickets and mails them: through the server's
// resender, or in-process into the outbox folder beside the database.
func bookingSend(c *cli.Context, s *session, id int64) error {
	rs, where := s.resender, "queued for the customer"
	if s.store != nil {
		dir := outboxDir(c.String("db"))
		courier := wiring.Courier(s.store, wiring.Mailer{Queue: &delivery.Outbox{Dir: dir}, PublicURL: c.String("public-url")})
		if c.String("public-url") == "" {
			courier.Wallets = nil // a link without the server's address would lead nowhere
		}
		rs = delivery.Resender{Bookings: s.store.Bookings, Issuer: s.sell, Courier: courier}
		where = "written to " + dir
	}
	out, err := rs.ResendBooking(s.ctx, id, issuer.ResendRequest{CustomerName: c.String("name")})
	if err != nil {
		return err
	}
	return s.print(out, func(w io.Writer) {
		seats := make([]string, len(out.Reissued))
		for i, seat := range out.Reissued {
			seats[i] = seat.String()
		}
		fmt.Fprintf(w, "reissued %s of booking %d and mailed the new tickets (%s): the old QR codes are refused from now on\n",
			strings.Join(seats, ", "), id, where)
		for _, sk := range out.Skipped {
			fmt.Fprintf(w, "skipped %s: %s\n", sk.Seat, sk.Reason)
		}
	})
}

// printBooking prints a booking (or a change of one, with its receipt) after what.
func (s *session) printBooking(v any, what string) error {
	b, ok := v.(ledger.Booking)
	rc, changed := v.(ledger.BookingReceipt)
	if changed {
		b = rc.Booking
	}
	if !ok && !changed {
		return fmt.Errorf("printing a booking: unexpected %T", v)
	}
	return s.print(v, func(w io.Writer) {
		fmt.Fprintf(w, "%s %d: customer %d, contract %s, %s, %s tickets", what, b.ID, b.Customer, b.Contract, b.State, b.Format)
		if !b.Expires.IsZero() && b.State == ledger.BookingOpen {
			fmt.Fprintf(w, ", held until %s", b.Expires.Local().Format(time.DateTime+" MST"))
		}
		fmt.Fprintln(w)
		for _, t := range b.Tickets {
			fmt.Fprintf(w, "  %s  %s  %d", t.Seat, t.Status, t.Price)
			if t.Type != "" {
				fmt.Fprintf(w, "  %s", t.Type)
			}
			fmt.Fprintln(w)
		}
		if changed {
			fmt.Fprintf(w, "transaction %s\n", rc.TransactionHash)
		}
	})
}
