package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func contractCommand() *cli.Command {
	return &cli.Command{
		Name:  "contract",
		Usage: "create and show contracts (a venue's collection of seats)",
		Subcommands: []*cli.Command{
			{
				Name:  "create",
				Usage: "create a contract of seats under a venue",
				UsageText: "ticketbooth contract create --venue NAME --seats 1A,1B,2A\n" +
					"   ticketbooth contract create --fixture theatre|hall|stadium\n" +
					"   ticketbooth contract create --seats-file venue.json",
				Flags: append(connFlags(),
					&cli.StringFlag{Name: "venue", Usage: "the venue's `NAME` (defaults to the seat file's)"},
					&cli.StringFlag{Name: "seats", Usage: "comma-separated seats: 1A, 12, A or Section/12A"},
					&cli.StringFlag{Name: "seats-file", Usage: "a venue seat map `FILE` (JSON, see fixtures/venues)"},
					&cli.StringFlag{Name: "fixture", Usage: "a built-in seat map: " + strings.Join(fixtures.Venues(), ", ")},
				),
				Action: contractCreate,
			},
			{
				Name:   "show",
				Usage:  "show a contract: venue, owner, rules, latest sale",
				Flags:  append(connFlags(), contractFlag()),
				Action: contractAction(contractShow),
			},
		},
	}
}

// venueFromFlags returns the venue the flags describe: exactly one of --seats,
// --seats-file, --fixture, with --venue naming or renaming it.
func venueFromFlags(c *cli.Context) (fixtures.Venue, error) {
	var v fixtures.Venue
	var err error
	given := 0
	for _, f := range []string{"seats", "seats-file", "fixture"} {
		if c.IsSet(f) {
			given++
		}
	}
	if given != 1 {
		return v, usagef("give exactly one of --seats, --seats-file or --fixture")
	}
	switch {
	case c.IsSet("seats"):
		v.Seats, err = parseSeatList(c.String("seats"))
	case c.IsSet("seats-file"):
		v, err = readVenueFile(c.String("seats-file"))
	default:
		v, err = fixtures.LoadVenue(c.String("fixture"))
	}
	if err != nil {
		return v, err
	}
	if c.IsSet("venue") {
		v.Name = c.String("venue")
	}
	if v.Name == "" {
		return v, usagef("--venue NAME is required with --seats")
	}
	return v, nil
}

func readVenueFile(path string) (fixtures.Venue, error) {
	f, err := os.Open(path)
	if err != nil {
		return fixtures.Venue{}, usagef("cannot read seat file: %v", err)
	}
	defer f.Close()
	return fixtures.ReadVenue(f)
}

// parseSeatList parses "1A,1B,Stalls/12C".
func parseSeatList(text string) ([]ledger.Seat, error) {
	var seats []ledger.Seat
	for _, part := range strings.Split(text, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		seat, err := ledger.ParseSeat(part)
		if err != nil {
			return nil, err
		}
		seats = append(seats, seat)
	}
	if len(seats) == 0 {
		return nil, usagef("--seats lists no seats: write them as 1A,1B,2A")
	}
	return seats, nil
}

func contractCreate(c *cli.Context) error {
	v, err := venueFromFlags(c)
	if err != nil {
		return err
	}
	s, err := openLedger(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	con, rc, err := s.svc.CreateContract(s.ctx, v.Name, v.Seats)
	if err != nil {
		return err
	}
	out := struct {
		Address         string `json:"address"`
		TransactionHash string `json:"transactionHash"`
		Height          int64  `json:"height"`
	}{con.Address, rc.TransactionHash, rc.Height}
	return s.print(out, func(w io.Writer) {
		fmt.Fprintf(w, "created contract for %q with %d seats at height %d\ntransaction %s\n%s\n",
			v.Name, len(v.Seats), rc.Height, rc.TransactionHash, con.Address)
	})
}

func contractShow(c *cli.Context, s *session, address string) error {
	con, err := s.svc.Contract(s.ctx, address)
	if err != nil {
		return err
	}
	return s.print(con, func(w io.Writer) {
		fmt.Fprintf(w, "contract  %s\nvenue     %s (%d seats)\nowner     %s\n", con.Address, con.Venue, con.SeatCount, con.Owner)
		fmt.Fprintf(w, "rules     release fee %d, no-release blocks %d, identity verification %t\n",
			con.Rules.ReleaseFee, con.Rules.NoReleaseBlocks, con.Rules.RequireIdentityVerification)
		if con.Sale == nil {
			fmt.Fprintln(w, "sale      none yet")
			return
		}
		state := "active"
		if !con.Sale.Active {
			state = fmt.Sprintf("ended at height %d", con.Sale.EndedHeight)
		}
		d := con.Sale.Details
		fmt.Fprintf(w, "sale      #%d %q by %s, %s; ends at height %d; %s\n", con.Sale.Number, d.Name, d.Organiser,
			showTime(d.Time), d.EndOfSale, state)
	})
}
