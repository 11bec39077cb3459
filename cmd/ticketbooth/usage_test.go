package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A missing required flag is one line on standard error, nothing on standard output; an
// unknown command suggests the nearest; help gives each default once.
func TestUsageMessages(t *testing.T) {
	db := newDB(t, time.Second)
	r := runCLI(t, "", "sale", "begin", "--db", db, "--contract", "C")
	if r.code != exitUsage || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "--name, --organiser, --time required") {
		t.Errorf("missing required flags: exit %d, stdout %q, stderr %q; want exit 2, one line on stderr only", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "reserv")
	if r.code != exitUsage || !strings.Contains(r.stderr, `unknown command 'reserv'. Did you mean "reserve"?`) {
		t.Errorf("reserv: exit %d %q, want a suggestion of reserve", r.code, r.stderr)
	}
	twice := regexp.MustCompile(`\(default.*\(default`)
	for _, c := range newApp(nil, nil, nil).Commands {
		paths := [][]string{{c.Name}}
		for _, sc := range c.Subcommands {
			paths = append(paths, []string{c.Name, sc.Name})
		}
		for _, p := range paths {
			help := runCLI(t, "", append(p, "--help")...).stdout
			for _, line := range strings.Split(help, "\n") {
				if twice.MatchString(line) || strings.Contains(line, "(default: 0)") || strings.Contains(line, "(default: false)") {
					t.Errorf("%s --help: %q gives a default twice or the zero value", strings.Join(p, " "), line)
				}
			}
		}
	}
}

// Amounts are read and printed in the sale's currency; --seats and --seat are both
// accepted by reserve and issue.
func TestAmountsInTheSaleCurrency(t *testing.T) {
	db := newDB(t, time.Second)
	dir := t.TempDir()
	address := strings.TrimSpace(mustCLI(t, "contract", "create", "--db", db, "--seats", "1A,1B,2A", "--venue", "Hall", "--quiet"))
	mustCLI(t, "sale", "begin", "--db", db, "-c", address, "--name", "Show", "--organiser", "Us",
		"--time", time.Now().Add(48*time.Hour).Format(time.RFC3339), "--ends-in", "1h", "--price", "12.50")
	if out := mustCLI(t, "tickets", "--db", db, "-c", address); !strings.Contains(out, "1A    EUR 12.50  available") {
		t.Errorf("tickets = %q, want EUR 12.50 a seat", out)
	}
	out := mustCLI(t, "reserve", "--db", db, "-c", address, "--seats", "1A,1B", "--sender", "ann", "--amount", "30", "--out", filepath.Join(dir, "a.json"))
	if !strings.Contains(out, "reserved 1A, 1B for ann: total EUR 25.00, refunded EUR 5.00") {
		t.Errorf("reserve = %q", out)
	}
	if out := mustCLI(t, "issue", "--db", db, "-c", address, "--seat", "2A", "--sender", "box", "--out", filepath.Join(dir, "b.pdf")); !strings.Contains(out, "issued 1 tickets") {
		t.Errorf("issue --seat = %q", out)
	}
	yen := strings.TrimSpace(mustCLI(t, "contract", "create", "--db", db, "--seats", "1A", "--venue", "Tokyo", "--quiet"))
	mustCLI(t, "sale", "begin", "--db", db, "-c", yen, "--name", "Show", "--organiser", "Us", "--currency", "JPY",
		"--time", time.Now().Add(48*time.Hour).Format(time.RFC3339), "--ends-in", "1h", "--price", "4500")
	if out := mustCLI(t, "tickets", "--db", db, "-c", yen); !strings.Contains(out, "JPY 4500") {
		t.Errorf("tickets in yen = %q, want JPY 4500", out)
	}
	if r := runCLI(t, "", "sale", "begin", "--db", db, "-c", address, "--name", "S", "--organiser", "U", "--time", "2099-01-01 10:00",
		"--ends-in", "1h", "--price", "12.505"); r.code != exitUsage || !strings.Contains(r.stderr, "at most 2 decimals") {
		t.Errorf("--price 12.505: exit %d %q, want a usage error", r.code, r.stderr)
	}
}

// sale end --wait waits for the end height, saying how long is left, then ends the sale;
// ledger verify --quiet prints the head alone, which --anchor takes back.
func TestSaleEndWaitAndQuietVerify(t *testing.T) {
	db := newDB(t, 100*time.Millisecond)
	address := theatreOnSale(t, []string{"--db", db}, "2s")
	r := runCLI(t, "", "sale", "end", "--db", db, "-c", address, "--wait")
	if r.code != 0 || !strings.Contains(r.stdout, "sale ended") || !strings.Contains(r.stderr, "waiting for the end of sale at height") {
		t.Fatalf("sale end --wait: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	head := strings.TrimSpace(mustCLI(t, "ledger", "verify", "--db", db, "--quiet"))
	if !regexp.MustCompile(`^\d+:[0-9a-f]{64}$`).MatchString(head) {
		t.Fatalf("ledger verify --quiet = %q, want HEIGHT:HASH alone", head)
	}
	if out := mustCLI(t, "ledger", "verify", "--db", db, "--anchor", head); !strings.Contains(out, "1 anchor held") {
		t.Errorf("verify --anchor %s = %q", head, out)
	}
}
