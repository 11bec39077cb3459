package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// exitNotAdmitted is scan's exit status when any ticket was not admitted (or not valid).
const exitNotAdmitted = 3

func scanCommand() *cli.Command {
	return &cli.Command{
		Name:  "scan",
		Usage: "check tickets in at the gate from pictures, PDFs, QR text files or a keyboard-wedge scanner",
		UsageText: "ticketbooth scan --contract ADDR [--gate NAME] [--direction in|out] [--verify-only] [--json] FILE...\n" +
			"   FILE is a picture (PNG, JPEG, GIF) or a PDF, whose every code is checked in; a .txt or .json file of\n" +
			"   QR text; or - for QR text lines on standard input. Any other file is refused (exit 2).\n" +
			"   Exit status: 0 every ticket admitted (or valid, or out with --direction out), 3 any was not, 2 usage errors.",
		Flags: append(connFlags(), contractFlag(),
			&cli.StringFlag{Name: "gate", Value: "main", EnvVars: []string{"TICKETBOOTH_GATE"}, Usage: "the gate's `NAME`, recorded with each admission"},
			&cli.BoolFlag{Name: "verify-only", Usage: "check tickets without admitting them"},
			&cli.StringFlag{Name: "direction", Value: ledger.DirectionIn, Usage: "in: admit (again, after an exit, when the sale allows re-entry); out: record that the holders go out"},
		),
		Action: contractAction(scan),
	}
}

type scanLine struct {
	Source  string               `json:"source"`
	Results []ledger.CheckResult `json:"results"`
	Error   string               `json:"error,omitempty"`
}

func scan(c *cli.Context, s *session, address string) error {
	if c.NArg() == 0 {
		return usagef("give pictures, PDFs, QR text files, or - to read QR text lines from standard input")
	}
	if err := flagsFirst(c); err != nil {
		return err
	}
	direction, err := ledger.CleanDirection(c.String("direction"))
	if err != nil {
		return usagef("--direction must be in or out")
	}
	g := s.gate
	allOK := true
	for _, arg := range c.Args().Slice() {
		err := eachScan(c, arg, func(source string, sc scanner.Scan, decodeErr error) error {
			if decodeErr != nil {
				allOK = printScan(s, scanLine{Source: source, Error: ledger.ErrorMessage(decodeErr)}) && allOK
				return nil
			}
			sc.Gate, sc.VerifyOnly, sc.Nonce = c.String("gate"), c.Bool("verify-only"), scanner.NewNonce()
			sc.Direction = direction
			results, err := g.CheckIn(s.ctx, address, sc)
			if err != nil && ledger.ErrorCode(err) != ledger.EINVALID {
				return err
			}
			line := scanLine{Source: source, Results: results}
			if err != nil {
				line.Error = ledger.ErrorMessage(err)
			}
			allOK = printScan(s, line) && allOK
			return nil
		})
		if err != nil {
			return err
		}
	}
	if !allOK {
		return cli.Exit("", exitNotAdmitted)
	}
	return nil
}

// eachScan calls fn for every scan an argument holds: one image, one QR text file, or
// each non-empty line of standard input for "-".
func eachScan(c *cli.Context, arg string, fn func(string, scanner.Scan, error) error) error {
	if arg == "-" {
		sc := bufio.NewScanner(c.App.Reader)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for n := 1; sc.Scan(); n++ {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				if err := fn(fmt.Sprintf("stdin:%d", n), scanner.Scan{QR: line}, nil); err != nil {
					return err
				}
			}
		}
		return sc.Err()
	}
	data, err := os.ReadFile(arg)
	if err != nil {
		return usagef("cannot read %s: %v", arg, err)
	}
	if isQRText(arg, data) {
		return fn(arg, scanner.Scan{QR: string(bytes.TrimSpace(data))}, nil)
	}
	codes, err := fileCodes(c, arg, data)
	if isUsage(err) {
		return err
	}
	if err != nil {
		return fn(arg, scanner.Scan{}, err)
	}
	for _, code := range codes {
		if err := fn(codeSource(arg, code, len(codes)), scanner.Scan{QR: code.Text}, nil); err != nil {
			return err
		}
	}
	return nil
}

// printScan prints one line per ticket (or the JSON line) and reports whether every
// ticket passed.
func printScan(s *session, line scanLine) bool {
	ok := len(line.Results) > 0
	for _, r := range line.Results {
		ok = ok && r.OK()
	}
	if s.json {
		b, _ := json.Marshal(line)
		fmt.Fprintln(s.out, string(b))
		return ok
	}
	if len(line.Results) == 0 {
		fmt.Fprintf(s.out, "REJECT  %s: %s\n", line.Source, line.Error)
	}
	for _, r := range line.Results {
		fmt.Fprintln(s.out, scanner.Verdict(r))
	}
	return ok
}
