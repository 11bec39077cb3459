package main

import (
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/loadgen"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func loadtestCommand() *cli.Command {
	return &cli.Command{
		Name:  "loadtest",
		Usage: "rush a running sale through one or more servers: reservations/s, latency, errors, oversell",
		UsageText: "ticketbooth loadtest --server URL [--server URL ...] --key KEY --contract ADDR [--clients 64] [--duration 10s]\n" +
			"   [--requests N] [--seats-per-order 1] [--release 0] [--log FILE] [--json]\n\n" +
			"Run it on a rehearsal contract: the seats it buys stay sold (to senders named loadtest-RUN-N).",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "server", EnvVars: []string{"TICKETBOOTH_SERVER"}, Required: true,
				Usage: "a server's `URL`; repeat it (or separate with commas) to spread the clients over several"},
			&cli.StringFlag{Name: "key", EnvVars: []string{"TICKETBOOTH_KEY"}, Required: true, Usage: "a box-office or organizer API `KEY`"},
			contractFlag(),
			&cli.IntFlag{Name: "clients", Value: 64, Usage: "concurrent buyers, each one request at a time"},
			&cli.DurationFlag{Name: "duration", Value: 10 * time.Second, Usage: "how long to run"},
			&cli.IntFlag{Name: "requests", Usage: "stop after this many requests (0: only --duration counts)"},
			&cli.IntFlag{Name: "seats-per-order", Value: 1, Usage: "orders take 1 to `N` seats (1: ReserveTicket, else ReserveTickets)"},
			&cli.Float64Flag{Name: "release", Usage: "share of requests (0 to 1) that release a seat the client holds"},
			&cli.StringFlag{Name: "log", Usage: "write every committed reservation and release to `FILE`, one JSON object a line"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as JSON"},
		},
		Action: loadtest,
	}
}

func loadOptionsOf(c *cli.Context) (loadgen.Options, error) {
	o := loadgen.Options{Key: c.String("key"), Clients: c.Int("clients"), Duration: c.Duration("duration"),
		Requests: c.Int64("requests"), SeatsPerOrder: c.Int("seats-per-order"), Release: c.Float64("release")}
	for _, s := range c.StringSlice("server") {
		for _, u := range strings.Split(s, ",") {
			if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
				o.Servers = append(o.Servers, u)
			}
		}
	}
	var err error
	if o.Contract, err = requireContract(c); err != nil {
		return o, err
	}
	switch {
	case len(o.Servers) == 0:
		return o, usagef("--server URL is required")
	case o.Clients < 1 || o.Clients > 10000:
		return o, usagef("--clients must be between 1 and 10000")
	case o.Duration <= 0 && o.Requests <= 0:
		return o, usagef("give a positive --duration or --requests")
	case o.SeatsPerOrder < 1 || o.SeatsPerOrder > ledger.MaxTicketsInOrder:
		return o, usagef("--seats-per-order must be between 1 and %d", ledger.MaxTicketsInOrder)
	case o.Release < 0 || o.Release > 1:
		return o, usagef("--release must be between 0 and 1")
	}
	return o, nil
}

func loadtest(c *cli.Context) error {
	o, err := loadOptionsOf(c)
	if err != nil {
		return err
	}
	if path := c.String("log"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return usagef("cannot write --log: %v", err)
		}
		defer f.Close()
		o.Log = f
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	defer stop()
	rep, err := loadgen.Run(ctx, o, c.App.ErrWriter)
	if err != nil {
		return err
	}
	s := &session{out: c.App.Writer, json: c.Bool("json")}
	if err := s.print(rep, rep.Text); err != nil {
		return err
	}
	if rep.Oversold > 0 || rep.Mismatched > 0 {
		return ledger.Errorf(ledger.ECONFLICT, "%d seats oversold and %d not as the buyers were told", rep.Oversold, rep.Mismatched)
	}
	return nil
}
