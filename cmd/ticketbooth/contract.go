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
					"   ticketbooth contract create --seats-file venue.json\n" +
					"   ticketbooth contract create --venue NAME [--seats ...] --standing Standing=2000",
				Flags: append(connFlags(),
					&cli.StringFlag{Name: "venue", Usage: "the venue's `NAME` (defaults to the seat file's)"},
					&cli.StringFlag{Name: "seats", Usage: "comma-separated seats: 1A, 12, A or Section/12A"},
					&cli.StringFlag{Name: "seats-file", Usage: "a venue seat map `FILE` (JSON, see fixtures/venues)"},
					&cli.StringFlag{Name: "fixture", Usage: "a built-in seat map: " + strings.Join(fixtures.Venues(), ", ")},
					&cli.StringSliceFlag{Name: "standing", Usage: "a general-admission section `NAME=N` of N places sold by quantity (Standing=2000: places Standing/1 to Standing/2000, after the seats); repeat for several"},
					ownerFlag("the organizer key that will own it (in-process, default: the administrator)"),
					quietFlag(),
				),
				Action: contractCreate,
			},
			{
				Name:      "transfer",
				Usage:     "hand a contract to another organizer key (by its owner or the administrator)",
				UsageText: "ticketbooth contract transfer --contract ADDR --owner KEY-NAME-OR-ID",
				Flags:     append(connFlags(), contractFlag(), ownerFlag("the organizer key that will own it")),
				Action:    contractAction(contractTransfer),
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
// --seats-file, --fixture (or none, with --standing), with --venue naming or renaming it.
// A seat file or fixture may bring standing sections of its own.
func venueFromFlags(c *cli.Context) (fixtures.Venue, error) {
	var v fixtures.Venue
	var err error
	given := 0
	for _, f := range []string{"seats", "seats-file", "fixture"} {
		if c.IsSet(f) {
			given++
		}
	}
	switch {
	case given == 0 && c.IsSet("standing"):
		if v.Name = c.String("venue"); v.Name == "" {
			return v, usagef("--venue NAME is required with --standing")
		}
		return v, nil
	case given != 1:
		return v, usagef("give exactly one of --seats, --seats-file or --fixture (or only --standing)")
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

// standingFlags reads the --standing sections, NAME=CAPACITY each.
func standingFlags(c *cli.Context) ([]ledger.StandingSection, error) {
	var out []ledger.StandingSection
	for _, text := range c.StringSlice("standing") {
		s, err := ledger.ParseStanding(text)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func contractCreate(c *cli.Context) error {
	v, err := venueFromFlags(c)
	if err != nil {
		return err
	}
	standing, err := standingFlags(c)
	if err != nil {
		return err
	}
	standing = append(v.Standing, standing...)
	s, err := openLedger(c, true)
	if err != nil {
		return err
	}
	defer s.close()
	owner := ""
	if c.IsSet("owner") {
		if owner, err = s.ownerID(c.String("owner")); err != nil {
			return err
		}
	}
	con, rc, err := s.svc.CreateContract(s.ctx, v.Name, v.Seats, standing...)
	if err != nil {
		return err
	}
	if owner != "" {
		if rc, err = s.svc.TransferContract(s.ctx, con.Address, owner); err != nil {
			return fmt.Errorf("contract %s was created, but handing it to %s failed: %w", con.Address, owner, err)
		}
		con.Owner = owner
	}
	con.Standing = standing
	return s.printCreated(c.Bool("quiet"), v, con, rc)
}

// printCreated tells what contract create made; the address alone with --quiet, for
// C=$(ticketbooth contract create ... --quiet).
func (s *session) printCreated(quiet bool, v fixtures.Venue, con ledger.Contract, rc ledger.Receipt) error {
	if quiet && !s.json {
		fmt.Fprintln(s.out, con.Address)
		return nil
	}
	out := struct {
		Address         string `json:"address"`
		Owner           string `json:"owner"`
		TransactionHash string `json:"transactionHash"`
		Height          int64  `json:"height"`
	}{con.Address, con.Owner, rc.TransactionHash, rc.Height}
	return s.print(out, func(w io.Writer) {
		fmt.Fprintf(w, "created contract for %q with %d seats%s at height %d, owned by %s\ntransaction %s\n%s\n",
			v.Name, len(v.Seats), standingText(con.Standing, " and standing "), rc.Height, con.Owner, rc.TransactionHash, con.Address)
	})
}

// standingText lists standing sections after prefix, "Pit (2000 places), Lawn (500
// places)"; "" for none.
func standingText(standing []ledger.StandingSection, prefix string) string {
	if len(standing) == 0 {
		return ""
	}
	parts := make([]string, len(standing))
	for i, s := range standing {
		parts[i] = fmt.Sprintf("%s (%d places)", s.Section, s.Capacity)
	}
	return prefix + strings.Join(parts, ", ")
}

func contractTransfer(c *cli.Context, s *session, address string) error {
	if !c.IsSet("owner") {
		return usagef("--owner KEY-NAME-OR-ID is required: the organizer key that will own the contract")
	}
	owner, err := s.ownerID(c.String("owner"))
	if err != nil {
		return err
	}
	rc, err := s.svc.TransferContract(s.ctx, address, owner)
	if err != nil {
		return err
	}
	return s.receipt("contract "+address+" now owned by "+owner, rc)
}

func contractShow(c *cli.Context, s *session, address string) error {
	con, err := s.svc.Contract(s.ctx, address)
	if err != nil {
		return err
	}
	return s.print(con, func(w io.Writer) {
		fmt.Fprintf(w, "contract  %s\nvenue     %s (%d seats)\nowner     %s\n", con.Address, con.Venue, con.SeatCount, con.Owner)
		if len(con.Standing) > 0 {
			fmt.Fprintf(w, "standing  %s (general admission, sold by quantity)\n", standingText(con.Standing, ""))
		}
		fmt.Fprintf(w, "rules     release fee %s, no-release blocks %d, identity verification %t\n",
			ledger.FormatAmount(contractCurrency(con), con.Rules.ReleaseFee), con.Rules.NoReleaseBlocks, con.Rules.RequireIdentityVerification)
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
