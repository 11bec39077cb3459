package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func saleCommand() *cli.Command {
	return &cli.Command{
		Name:  "sale",
		Usage: "begin and end a contract's sales",
		Subcommands: []*cli.Command{
			{
				Name:  "begin",
				Usage: "begin a sale: a price for every seat and the show's details",
				UsageText: "ticketbooth sale begin --contract ADDR --name SHOW --organiser WHO --time '2026-12-24 19:30'\n" +
					"     (--ends-in 2h | --end-height H) (--price N | --prices FILE | --prices-fixture NAME) [--currency EUR]\n" +
					"     [--type reduced=12.00 [--type reduced@section:Balcony=9.00] | --types FILE]",
				Flags: append(append(connFlags(), contractFlag(),
					&cli.StringFlag{Name: "name", Required: true, Usage: "the show's `NAME`"},
					&cli.StringFlag{Name: "organiser", Required: true, Usage: "who puts the show on"},
					&cli.StringFlag{Name: "time", Required: true, Usage: "when the show starts: RFC 3339, 'YYYY-MM-DD HH:MM' (local time) or unix seconds"},
					&cli.DurationFlag{Name: "ends-in", Usage: "the sale ends this long from now, e.g. 2h (rounded up to whole blocks)"},
					&cli.Int64Flag{Name: "end-height", Usage: "the sale ends at this block height"},
					&cli.StringFlag{Name: "price", Usage: "one price for every seat, in the sale's currency (--currency, EUR by default): 12.50"},
					&cli.StringFlag{Name: "prices", Usage: "a price list `FILE` (JSON, see fixtures/prices)"},
					&cli.StringFlag{Name: "prices-fixture", Usage: "a built-in price list: " + strings.Join(fixtures.Venues(), ", ")},
					&cli.StringFlag{Name: "currency", Usage: "the sale's currency, an ISO 4217 code such as EUR or JPY (default: the price list's, else EUR)"},
					&cli.DurationFlag{Name: "hold-time", Usage: "how long a booking holds its seats before they return to sale, from its first hold: 1m to 24h (default 30m)"},
					&cli.StringFlag{Name: "time-zone", Usage: "the show's IANA time `ZONE`, e.g. Europe/Zurich: --time is read and tickets print in it (default: this machine's)"},
				), ticketTypeFlags()...),
				Action: contractAction(saleBegin),
			},
			{
				Name:  "end",
				Usage: "end the active sale (at or after its end height), freeing the seats for the next sale",
				Flags: append(connFlags(), contractFlag(),
					&cli.BoolFlag{Name: "wait", Usage: "wait for the end height first, showing how long is left on standard error"}),
				Action: contractAction(saleEnd),
			},
		},
	}
}

// parseShowTime reads RFC 3339, "YYYY-MM-DD HH:MM" in the zone, or unix seconds.
func parseShowTime(text string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, text); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, text, zone); err == nil {
			return t, nil
		}
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	return time.Time{}, usagef("--time %q: write it as 2026-12-24T19:30:00+01:00, '2026-12-24 19:30' or unix seconds", text)
}

func showTime(unix int64) string {
	return time.Unix(unix, 0).Format("Mon 2 Jan 2006 15:04 MST")
}

// endHeight turns --ends-in or --end-height into the end-of-sale height.
func endHeight(c *cli.Context, s *session) (int64, error) {
	switch {
	case c.IsSet("ends-in") == c.IsSet("end-height"):
		return 0, usagef("give exactly one of --ends-in DURATION or --end-height HEIGHT")
	case c.IsSet("end-height"):
		return c.Int64("end-height"), nil
	}
	info, err := s.svc.Info(s.ctx)
	if err != nil {
		return 0, err
	}
	if c.Duration("ends-in") <= 0 {
		return 0, usagef("--ends-in must be positive, e.g. 2h")
	}
	clock := ledger.Clock{Genesis: info.Genesis, Interval: time.Duration(info.BlockInterval)}
	return clock.HeightAfter(info.Height, c.Duration("ends-in")), nil
}

// priceList returns the pricing the flags ask for: exactly one of --price, --prices,
// --prices-fixture.
func priceList(c *cli.Context) (fixtures.PriceList, error) {
	given := 0
	for _, f := range []string{"price", "prices", "prices-fixture"} {
		if c.IsSet(f) {
			given++
		}
	}
	if given != 1 {
		return fixtures.PriceList{}, usagef("give exactly one of --price N, --prices FILE or --prices-fixture NAME")
	}
	switch {
	case c.IsSet("price"):
		price, err := ledger.ParseAmount(c.String("currency"), c.String("price"))
		return fixtures.PriceList{Rules: []fixtures.PriceRule{{Price: price}}}, err
	case c.IsSet("prices-fixture"):
		return fixtures.LoadPrices(c.String("prices-fixture"))
	}
	f, err := os.Open(c.String("prices"))
	if err != nil {
		return fixtures.PriceList{}, usagef("cannot read price list: %v", err)
	}
	defer f.Close()
	return fixtures.ReadPrices(f)
}

func saleBegin(c *cli.Context, s *session, address string) error {
	zone := time.Local
	if tz := c.String("time-zone"); tz != "" {
		var err error
		if zone, err = time.LoadLocation(tz); err != nil {
			return usagef("--time-zone %q is not a known IANA zone such as Europe/Zurich", tz)
		}
	}
	show, err := parseShowTime(c.String("time"), zone)
	if err != nil {
		return err
	}
	list, err := priceList(c)
	if err != nil {
		return err
	}
	end, err := endHeight(c, s)
	if err != nil {
		return err
	}
	prices, err := seatPrices(s, address, list)
	if err != nil {
		return err
	}
	d := ledger.SaleDetails{Name: c.String("name"), Organiser: c.String("organiser"), Time: show.Unix(),
		EndOfSale: end, Currency: firstNonEmpty(c.String("currency"), list.Currency), TimeZone: c.String("time-zone"),
		HoldTime: ledger.Duration(c.Duration("hold-time"))}
	if d.TicketTypes, err = ticketTypes(c, d.Currency); err != nil {
		return err
	}
	rc, err := s.svc.BeginSale(s.ctx, address, prices, d)
	if err != nil {
		return err
	}
	return s.receipt(fmt.Sprintf("sale %q begun for %d seats%s, ending at height %d;", d.Name, len(prices), typeNames(d.TicketTypes), end), rc)
}

// seatPrices prices every seat of the contract from the list.
func seatPrices(s *session, address string, list fixtures.PriceList) ([]ledger.SeatPrice, error) {
	tickets, err := s.svc.Tickets(s.ctx, address)
	if err != nil {
		return nil, err
	}
	prices := make([]ledger.SeatPrice, len(tickets))
	for i, t := range tickets {
		p, err := list.Price(t.Seat)
		if err != nil {
			return nil, err
		}
		prices[i] = ledger.SeatPrice{Seat: t.Seat, Price: p}
	}
	return prices, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func saleEnd(c *cli.Context, s *session, address string) error {
	if c.Bool("wait") {
		if err := waitForEnd(c, s, address); err != nil {
			return err
		}
	}
	rc, err := s.svc.EndSale(s.ctx, address)
	if ledger.ErrorCode(err) == ledger.ECONFLICT && !c.Bool("wait") {
		return ledger.Errorf(ledger.ECONFLICT, "%s (sale end --wait waits for the end height)", ledger.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	return s.receipt("sale ended", rc)
}

// waitForEnd waits until the ledger reaches the active sale's end height, telling on
// standard error how many blocks and how long are left; Ctrl-C stops it. A contract
// without an active sale returns at once, for EndSale to refuse in its own words.
func waitForEnd(c *cli.Context, s *session, address string) error {
	con, err := s.svc.Contract(s.ctx, address)
	if err != nil || con.Sale == nil || !con.Sale.Active {
		return err
	}
	clock, err := s.clock()
	if err != nil {
		return err
	}
	end := con.Sale.Details.EndOfSale
	for said := ""; ; {
		info, err := s.svc.Info(s.ctx)
		if err != nil {
			return err
		}
		if info.Height >= end {
			return nil
		}
		left := time.Until(clock.TimeOf(end)).Round(time.Second)
		if line := fmt.Sprintf("waiting for the end of sale at height %d: %d blocks, about %s left", end, end-info.Height, left); line != said {
			fmt.Fprintln(c.App.ErrWriter, line)
			said = line
		}
		select {
		case <-s.ctx.Done():
			return ledger.Errorf(ledger.ECONFLICT, "Stopped waiting for the end of sale at height %d: the sale is still active", end)
		case <-time.After(min(max(time.Until(clock.TimeOf(info.Height+1)), 10*time.Millisecond), 10*time.Second)):
		}
	}
}
