package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "tell the whole story once on a fresh temporary ledger, one line a step",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "write the ledger and outputs into `DIR` (default: a new temporary folder)"},
		},
		Action: demo,
	}
}

// demoInterval keeps the demo's blocks short so its sale ends within seconds.
const demoInterval = 200 * time.Millisecond

type demoRun struct {
	ctx   context.Context
	svc   ledger.Service
	say   func(format string, args ...any)
	clock ledger.Clock
	addr  string
}

func demo(c *cli.Context) error {
	dir := c.String("dir")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "ticketbooth-demo-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return usagef("cannot make --dir %s: %v", dir, err)
	}
	db := filepath.Join(dir, "demo.db")
	st, err := sqlstore.Open(c.Context, db, sqlstore.Options{BlockInterval: demoInterval})
	if err != nil {
		return err
	}
	defer st.Close()
	step := 0
	d := &demoRun{ctx: ledger.WithActor(c.Context, ledger.Actor{Admin: true, Name: "admin"}), svc: st, clock: st.Clock(),
		say: func(format string, args ...any) {
			step++
			fmt.Fprintf(c.App.Writer, "%2d. %s\n", step, fmt.Sprintf(format, args...))
		}}
	d.say("fresh ledger %s (one block every %s)", db, demoInterval)
	for _, f := range []func() error{d.contract, d.rules, d.sale, d.endSale, d.verify} {
		if err := f(); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.App.Writer, "done: everything is in %s\n", dir)
	return nil
}

func (d *demoRun) contract() error {
	v, err := fixtures.LoadVenue("theatre")
	if err != nil {
		return err
	}
	con, rc, err := d.svc.CreateContract(d.ctx, v.Name, v.Seats)
	if err != nil {
		return err
	}
	d.addr = con.Address
	d.say("contract %s: %d seats of %q (tx %.12s…)", con.Address, len(v.Seats), v.Name, rc.TransactionHash)
	return nil
}

func (d *demoRun) rules() error {
	if _, err := d.svc.SetReleaseFee(d.ctx, d.addr, 500); err != nil {
		return err
	}
	if _, err := d.svc.SetNoReleaseBlocks(d.ctx, d.addr, 2); err != nil {
		return err
	}
	d.say("rules: release fee EUR 5.00, no releases in the last 2 blocks")
	return nil
}

func (d *demoRun) sale() error {
	prices, err := fixtures.LoadPrices("theatre")
	if err != nil {
		return err
	}
	v, _ := fixtures.LoadVenue("theatre")
	sp := make([]ledger.SeatPrice, len(v.Seats))
	for i, s := range v.Seats {
		p, err := prices.Price(s)
		if err != nil {
			return err
		}
		sp[i] = ledger.SeatPrice{Seat: s, Price: p}
	}
	info, err := d.svc.Info(d.ctx)
	if err != nil {
		return err
	}
	end := d.clock.HeightAfter(info.Height, 2*time.Second)
	details := ledger.SaleDetails{Name: "The Go Gopher Revue", Organiser: "Ticketbooth Players",
		Time: time.Now().Add(72 * time.Hour).Unix(), EndOfSale: end, Currency: prices.Currency}
	rc, err := d.svc.BeginSale(d.ctx, d.addr, sp, details)
	if err != nil {
		return err
	}
	d.say("sale %q begun at height %d, ends at height %d, priced by seat (tx %.12s…)", details.Name, rc.Height, end, rc.TransactionHash)
	tickets, err := d.svc.Tickets(d.ctx, d.addr)
	if err != nil {
		return err
	}
	d.say("ticket list: %d tickets, seat %s at %d, seat %s at %d, all held by the zero address", len(tickets),
		tickets[0].Seat, tickets[0].Price, tickets[len(tickets)-1].Seat, tickets[len(tickets)-1].Price)
	return nil
}

func (d *demoRun) endSale() error {
	c, err := d.svc.Contract(d.ctx, d.addr)
	if err != nil {
		return err
	}
	_, err = d.svc.EndSale(d.ctx, d.addr)
	if ledger.ErrorCode(err) != ledger.ECONFLICT {
		return fmt.Errorf("ending the sale early should be refused, got %v", err)
	}
	d.say("ending the sale before its end height is refused: %s", ledger.ErrorMessage(err))
	time.Sleep(time.Until(d.clock.TimeOf(c.Sale.Details.EndOfSale)) + 10*time.Millisecond)
	rc, err := d.svc.EndSale(d.ctx, d.addr)
	if err != nil {
		return err
	}
	d.say("sale ended at height %d (tx %.12s…)", rc.Height, rc.TransactionHash)
	return nil
}

func (d *demoRun) verify() error {
	time.Sleep(demoInterval)
	rep, err := d.svc.Verify(d.ctx)
	if err != nil {
		return err
	}
	if !rep.OK {
		return fmt.Errorf("ledger verify failed: %v", rep.Problems)
	}
	d.say("ledger verify: %d transactions in %d sealed blocks, every hash and link checks out", rep.Transactions, rep.Blocks)
	return nil
}
