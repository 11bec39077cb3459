package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// demoInterval keeps the demo's blocks short so its sales end within seconds.
const demoInterval = 200 * time.Millisecond

type demoRun struct {
	ctx   context.Context
	st    *sqlstore.Store
	sell  *issuer.Issuer
	gate  *scanner.Gate
	clock ledger.Clock
	dir   string
	db    string // the ledger file
	say   func(format string, args ...any)

	theatre, studio string            // contract addresses
	files           map[string]string // purchase name -> QR image
	bought          map[string]issuer.Purchase
	forged          string // a QR built from public data only
}

// Run tells the story on the ledger file demo.db in dir (give it a new folder), one
// numbered line a step on w, and leaves the PDF tickets and QR images beside it. It stops
// at the first step that fails and returns its error.
func Run(ctx context.Context, w io.Writer, dir string) error {
	db := filepath.Join(dir, "demo.db")
	key, err := mailq.LoadDeliveryKey(db+".delivery-key", true)
	if err != nil {
		return err
	}
	st, err := sqlstore.Open(ctx, db, sqlstore.Options{BlockInterval: demoInterval, DeliveryKey: key})
	if err != nil {
		return err
	}
	defer st.Close()
	step := 0
	d := &demoRun{ctx: ledger.WithActor(ctx, ledger.Actor{Admin: true, Name: "admin"}), st: st,
		sell: &issuer.Issuer{Ledger: st.Selling}, gate: &scanner.Gate{Ledger: st.Gate, Pictures: gateread.Image}, clock: st.Clock(), dir: dir, db: db,
		files: map[string]string{}, bought: map[string]issuer.Purchase{},
		say: func(format string, args ...any) {
			step++
			fmt.Fprintf(w, "%2d. %s\n", step, fmt.Sprintf(format, args...))
		}}
	start := time.Now()
	d.say("fresh ledger %s, one block every %s", db, demoInterval)
	for _, f := range []func() error{d.contracts, d.sales, d.purchases, d.mailOutbox, d.forge, d.release, d.endSales, d.scans, d.scanForged, d.verify} {
		if err := f(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "done in %.1fs: tickets, QR images and the ledger are in %s, e-mails in %s\n", time.Since(start).Seconds(), dir, db+".outbox")
	return nil
}

// contracts creates two contracts on the theatre's seat map: the main house, and a studio
// whose sale requires the purchaser's name to be checked against an ID at the door.
func (d *demoRun) contracts() error {
	v, err := fixtures.LoadVenue("theatre")
	if err != nil {
		return err
	}
	main, _, err := d.st.Contracts.CreateContract(d.ctx, v.Name, v.Seats)
	if err != nil {
		return err
	}
	studio, _, err := d.st.Contracts.CreateContract(d.ctx, v.Name+" Studio", v.Seats)
	if err != nil {
		return err
	}
	d.theatre, d.studio = main.Address, studio.Address
	d.say("contracts %s (%q) and %s (the studio), %d seats each from fixtures/venues/theatre.json", d.theatre, v.Name, d.studio, len(v.Seats))
	if _, err := d.st.Contracts.SetReleaseFee(d.ctx, d.theatre, 500); err != nil {
		return err
	}
	if _, err := d.st.Contracts.SetNoReleaseBlocks(d.ctx, d.theatre, 2); err != nil {
		return err
	}
	if _, err := d.st.Contracts.SetIdentityPolicy(d.ctx, d.studio, true); err != nil {
		return err
	}
	d.say("rules: theatre release fee EUR 5.00, no releases in the last 2 blocks; studio requires ID at the door")
	return nil
}

func (d *demoRun) sales() error {
	prices, err := fixtures.LoadPrices("theatre")
	if err != nil {
		return err
	}
	info, err := d.st.Journal.Info(d.ctx)
	if err != nil {
		return err
	}
	end := d.clock.HeightAfter(info.Height, 2*time.Second)
	for _, addr := range []string{d.theatre, d.studio} {
		tickets, err := d.st.Contracts.Tickets(d.ctx, addr)
		if err != nil {
			return err
		}
		sp := make([]ledger.SeatPrice, len(tickets))
		for i, t := range tickets {
			if sp[i].Price, err = prices.Price(t.Seat); err != nil {
				return err
			}
			sp[i].Seat = t.Seat
		}
		details := ledger.SaleDetails{Name: "The Go Gopher Revue", Organiser: "Ticketbooth Players",
			Time: time.Now().Add(72 * time.Hour).Unix(), EndOfSale: end, Currency: prices.Currency}
		if _, err := d.st.Contracts.BeginSale(d.ctx, addr, sp, details); err != nil {
			return err
		}
	}
	d.say("sales begun on both, priced by seat from fixtures/prices/theatre.json, ending at height %d", end)
	return nil
}

type demoPurchase struct {
	key, contract, sender, name string
	seats                       []ledger.Seat
}

func (d *demoRun) purchases() error {
	for _, p := range []demoPurchase{
		{"alice", d.theatre, "customer-1001", "", []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 1, Letter: "B"}}},
		{"bob", d.theatre, "customer-4711", "", []ledger.Seat{{Number: 2, Letter: "A"}}},
		{"zoe", d.studio, "customer-2002", "Zoë Łukasiewicz-Ødegård", []ledger.Seat{{Number: 3, Letter: "B"}}},
	} {
		if err := d.purchase(p); err != nil {
			return err
		}
	}
	return nil
}

// qrModulePx is the module width of the QR images written, as `ticketbooth reserve` writes
// them: whole, even pixels.
const qrModulePx = 8

// purchase buys, then writes the PDF ticket and the QR image.
func (d *demoRun) purchase(dp demoPurchase) error {
	p, err := d.sell.Reserve(d.ctx, dp.contract, issuer.Request{Seats: dp.seats, Sender: dp.sender, CustomerName: dp.name})
	if err != nil {
		return err
	}
	c, err := d.st.Contracts.Contract(d.ctx, dp.contract)
	if err != nil {
		return err
	}
	printed, err := ticketpdf.Printed(p, c, d.clock)
	if err != nil {
		return err
	}
	pdfPath := filepath.Join(d.dir, dp.key+".pdf")
	f, err := os.Create(pdfPath)
	if err != nil {
		return err
	}
	if err := ticketpdf.WritePDF(f, issuer.LayoutA4, printed); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	png, err := ticketpdf.QRPNG(p.QR[0], ticketpdf.DefaultRecovery, qrModulePx)
	if err != nil {
		return err
	}
	d.files[dp.key] = filepath.Join(d.dir, dp.key+".png")
	if err := os.WriteFile(d.files[dp.key], png, 0o600); err != nil {
		return err
	}
	d.bought[dp.key] = p
	named := ""
	if p.CustomerName != "" {
		named = fmt.Sprintf(", named %s", p.CustomerName)
	}
	d.say("%s bought %s for %s%s: %s and %s", dp.sender, seatNames(p.Tickets), ledger.FormatAmount(ledger.DefaultCurrency, p.Total), named,
		filepath.Base(pdfPath), filepath.Base(d.files[dp.key]))
	return nil
}

func (d *demoRun) release() error {
	p := d.bought["bob"]
	rc, err := d.sell.Release(d.ctx, d.theatre, ledger.ReleaseRequest{Seat: p.Tickets[0].Seat, Secret: p.Tickets[0].Secret.Plaintext})
	if err != nil {
		return err
	}
	d.say("customer-4711 released seat %s by presenting the ticket's secret: refund %s (price less the fee)",
		p.Tickets[0].Seat, ledger.FormatAmount(ledger.DefaultCurrency, rc.Refund))
	return nil
}

func (d *demoRun) endSales() error {
	c, err := d.st.Contracts.Contract(d.ctx, d.theatre)
	if err != nil {
		return err
	}
	if _, err := d.st.Contracts.EndSale(d.ctx, d.theatre); ledger.ErrorCode(err) != ledger.ECONFLICT {
		return fmt.Errorf("ending the sale early should be refused, got %v", err)
	}
	time.Sleep(time.Until(d.clock.TimeOf(c.Sale.Details.EndOfSale)) + 20*time.Millisecond)
	for _, addr := range []string{d.theatre, d.studio} {
		if _, err := d.st.Contracts.EndSale(d.ctx, addr); err != nil {
			return err
		}
	}
	d.say("sales ended at height %d (an earlier EndSale was refused); their tickets stay valid at the gate", c.Sale.Details.EndOfSale)
	return nil
}

// scan reads the QR image back with the decoder and checks it in at the gate.
func (d *demoRun) scan(key, contract, gate string) (string, error) {
	data, err := os.ReadFile(d.files[key])
	if err != nil {
		return "", err
	}
	results, err := d.gate.CheckIn(d.ctx, contract, scanner.Scan{Image: data, Gate: gate, Nonce: scanner.NewNonce()})
	if err != nil {
		return "", err
	}
	lines := make([]string, len(results))
	for i, r := range results {
		lines[i] = strings.Join(strings.Fields(scanner.Verdict(r)), " ")
	}
	return strings.Join(lines, "; "), nil
}

func (d *demoRun) scans() error {
	for _, s := range []struct{ key, contract, gate, what string }{
		{"alice", d.theatre, "north", "alice.png scanned at the north gate"},
		{"zoe", d.studio, "studio", "zoe.png scanned at the studio door"},
		{"alice", d.theatre, "south", "alice.png scanned again at the south gate"},
		{"bob", d.theatre, "north", "bob.png (released) scanned"},
	} {
		line, err := d.scan(s.key, s.contract, s.gate)
		if err != nil {
			return err
		}
		d.say("%s: %s", s.what, line)
	}
	return nil
}

// forge builds a QR from the public ticket list alone, while the sale is on: the rc2
// trick of choosing a key and IV that decrypt seat 1B's published ciphertext to a secret
// of the forger's choosing.
func (d *demoRun) forge() error {
	tickets, err := d.st.Contracts.Tickets(d.ctx, d.theatre)
	if err != nil {
		return err
	}
	if d.forged, err = forgeQR(tickets, ledger.Seat{Number: 1, Letter: "B"}); err != nil {
		return err
	}
	d.say("forged a QR for seat 1B from the public ticket list: its key and IV really do decrypt the published ciphertext")
	return nil
}

func (d *demoRun) scanForged() error {
	results, err := d.gate.CheckIn(d.ctx, d.theatre, scanner.Scan{QR: d.forged, Gate: "north", Nonce: scanner.NewNonce()})
	if err != nil {
		return err
	}
	d.say("the forged QR scanned: %s", strings.Join(strings.Fields(scanner.Verdict(results[0])), " "))
	return nil
}

func (d *demoRun) verify() error {
	time.Sleep(demoInterval)
	rep, err := d.st.Journal.Verify(d.ctx)
	if err != nil {
		return err
	}
	if !rep.OK {
		return fmt.Errorf("ledger verify failed: %v", rep.Problems)
	}
	d.say("ledger verify: %d transactions in %d sealed blocks, every hash, Merkle root and link checks out and the tables match the journal", rep.Transactions, rep.Blocks)
	return nil
}

// seatNames lists a purchase's seats: "1A, 1B".
func seatNames(tickets []issuer.IssuedTicket) string {
	names := make([]string, len(tickets))
	for i, t := range tickets {
		names[i] = t.Seat.String()
	}
	return strings.Join(names, ", ")
}
