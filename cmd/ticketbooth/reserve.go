package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

func reserveCommand() *cli.Command {
	return &cli.Command{
		Name:  "reserve",
		Usage: "buy seats for one purchaser and write the tickets (PDF, QR PNG or JSON)",
		UsageText: "ticketbooth reserve --contract ADDR --seat 1A [--seat 1B] --sender ACCOUNT [--name NAME] [--amount N] --out FILE\n" +
			"   FILE's extension picks the format: .pdf (tickets), .png (QR image), .json (secrets, keys and QR texts)",
		Flags: append(connFlags(), contractFlag(),
			&cli.StringSliceFlag{Name: "seat", Aliases: []string{"seats"}, Required: true, Usage: "a seat to buy (1A, 12, A or Section/12A); repeat or comma-separate for several"},
			senderFlag(), customerNameFlag(),
			&cli.StringFlag{Name: "amount", Usage: "amount paid in the sale's currency, e.g. 70.00 (default: the price); over-payment is refunded"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "write the tickets to `FILE` (.pdf, .png or .json)"},
			&cli.StringFlag{Name: "layout", Value: "a4", Usage: "the page the tickets print on: a4 (print at home) or a6 (ticket stock, where one QR code carries fewer tickets, so that it prints sharp)"},
		),
		Action: contractAction(reserve),
	}
}

func reserve(c *cli.Context, s *session, address string) error {
	out, format, layout, err := ticketOutput(c)
	if err != nil {
		return err
	}
	seats, err := parseSeatList(strings.Join(c.StringSlice("seat"), ","))
	if err != nil {
		return err
	}
	req := issuer.Request{Seats: seats, Sender: c.String("sender"), CustomerName: c.String("name"), Layout: layout}
	currency, amount, err := s.amountFlag(c, address)
	if err != nil {
		return err
	}
	req.Amount = amount
	p, err := s.sell.Reserve(s.ctx, address, req)
	if err != nil {
		return err
	}
	files, err := writePurchase(s, p, out, format, layout)
	if err != nil {
		return fmt.Errorf("the seats were sold (transaction %s) but writing %s failed: %w", p.TransactionHash, out, err)
	}
	return s.print(p, func(w io.Writer) {
		fmt.Fprintf(w, "reserved %s for %s: total %s, refunded %s, reference %s\nholder %s (the seats' address in the public ticket list)\ntransaction %s\nwrote %s\n",
			seatNames(p.Tickets), p.Sender, ledger.FormatAmount(currency, p.Total), ledger.FormatAmount(currency, p.Refunded),
			issuer.Reference(p.TransactionHash), p.Holder, p.TransactionHash, strings.Join(files, ", "))
	})
}

func seatNames(tickets []issuer.IssuedTicket) string {
	names := make([]string, len(tickets))
	for i, t := range tickets {
		names[i] = t.Seat.String()
	}
	return strings.Join(names, ", ")
}

// ticketOutput reads --out and --layout: the file to write, its format (".pdf", ".png" or
// ".json", from its extension) and the page the tickets print on; a usage error otherwise.
func ticketOutput(c *cli.Context) (out, format string, layout issuer.Layout, err error) {
	out, format = c.String("out"), strings.ToLower(filepath.Ext(c.String("out")))
	if format != ".pdf" && format != ".png" && format != ".json" {
		return "", "", 0, usagef("--out %s: the extension must be .pdf, .png or .json", out)
	}
	layout, err = issuer.ParseLayout(c.String("layout"))
	return out, format, layout, err
}

// writePurchase writes the purchase to out in the format and returns the files written
// (several PNGs when the purchase has several QR codes).
func writePurchase(s *session, p issuer.Purchase, out, format string, layout issuer.Layout) ([]string, error) {
	switch format {
	case ".json":
		b, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return nil, err
		}
		return []string{out}, writeFileAtomic(out, append(b, '\n'), 0o600)
	case ".png":
		return writePNGs(p, out)
	}
	c, err := s.svc.Contract(s.ctx, p.Contract)
	if err != nil {
		return nil, err
	}
	clock, err := s.clock()
	if err != nil {
		return nil, err
	}
	printed, err := ticketpdf.Printed(p, c, clock)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := ticketpdf.WritePDF(&buf, layout, printed); err != nil {
		return nil, err
	}
	return []string{out}, writeFileAtomic(out, buf.Bytes(), 0o600)
}

// qrModulePx is the module width of QR images written: whole, even pixels.
const qrModulePx = 8

func writePNGs(p issuer.Purchase, out string) ([]string, error) {
	var files []string
	base := strings.TrimSuffix(out, filepath.Ext(out))
	for i, text := range p.QR {
		png, err := ticketpdf.QRPNG(text, ticketpdf.DefaultRecovery, qrModulePx)
		if err != nil {
			return files, err
		}
		name := out
		if i > 0 {
			name = fmt.Sprintf("%s-%d.png", base, i+1)
		}
		if err := writeFileAtomic(name, png, 0o600); err != nil {
			return files, err
		}
		files = append(files, name)
	}
	return files, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames it into place,
// so a failure never leaves half a ticket behind. Tickets carry secrets: mode 0600.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ticketbooth-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func releaseCommand() *cli.Command {
	return &cli.Command{
		Name:      "release",
		Usage:     "return a ticket to sale and refund its price less the release fee",
		UsageText: "ticketbooth release --contract ADDR --seat 1A (--sender ACCOUNT | --secret SECRET)",
		Flags: append(connFlags(), contractFlag(),
			&cli.StringFlag{Name: "seat", Required: true, Usage: "the seat to release"},
			&cli.StringFlag{Name: "sender", Usage: "the account that bought the ticket"},
			&cli.StringFlag{Name: "secret", Usage: "the ticket's 15-character secret (holding the ticket proves ownership)"},
		),
		Action: contractAction(release),
	}
}

func release(c *cli.Context, s *session, address string) error {
	if c.IsSet("sender") == c.IsSet("secret") {
		return usagef("give exactly one of --sender or --secret")
	}
	seat, err := ledger.ParseSeat(c.String("seat"))
	if err != nil {
		return err
	}
	rc, err := s.sell.Release(s.ctx, address, ledger.ReleaseRequest{Seat: seat, Sender: c.String("sender"), Secret: c.String("secret")})
	if err != nil {
		return err
	}
	currency, err := s.currency(address)
	if err != nil {
		return err
	}
	return s.print(rc, func(w io.Writer) {
		fmt.Fprintf(w, "released seat %s at height %d, refund %s\ntransaction %s\n", seat, rc.Height, ledger.FormatAmount(currency, rc.Refund), rc.TransactionHash)
	})
}

// senderFlag and customerNameFlag name the purchaser of reserve and issue.
func senderFlag() cli.Flag {
	return &cli.StringFlag{Name: "sender", Required: true, EnvVars: []string{"TICKETBOOTH_SENDER"},
		Usage: "the purchaser's `ACCOUNT` (wallet address, customer number or e-mail)"}
}

func customerNameFlag() cli.Flag {
	return &cli.StringFlag{Name: "name", Usage: "the purchaser's name (required under the identity policy)"}
}
