// Package golden compares what a test renders with a golden file under testdata, so a
// change to deterministic output (PDF text, QR texts, the command line's help and
// answers) shows as a readable diff. Run the test with -update to rewrite the files
// with what it renders now, then review the change with git diff:
//
//	go test ./cmd/ticketbooth -run Golden -update
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata with what the tests render")

// Path returns the golden file of name: testdata/NAME.golden in the test's package.
func Path(name string) string { return filepath.Join("testdata", name+".golden") }

// Check fails the test unless got equals the golden file of name, showing the lines that
// differ; under -update it writes got to the file instead.
func Check(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := Path(name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("reading %s: %v (run the test with -update to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		diff := Diff(string(want), string(got))
		if diff == "" {
			diff = "(they differ only in a final line break)\n"
		}
		tb.Errorf("output differs from %s (- golden, + now; run with -update to accept it):\n%s", path, diff)
	}
}

// Diff returns the lines of want and got that differ, as a unified listing: "-" for a
// line only in want, "+" only in got, " " for some shared context around each change.
func Diff(want, got string) string {
	a, b := lines(want), lines(got)
	ops := diffLines(a, b)
	var out strings.Builder
	const context = 2
	for i, op := range ops {
		if op.kind == ' ' && !nearChange(ops, i, context) {
			continue
		}
		fmt.Fprintf(&out, "%c %s\n", op.kind, op.line)
	}
	return out.String()
}

type lineOp struct {
	kind byte // ' ', '-' or '+'
	line string
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// diffLines lists a's and b's lines along their longest common subsequence.
func diffLines(a, b []string) []lineOp {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []lineOp
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops, i, j = append(ops, lineOp{' ', a[i]}), i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			ops, i = append(ops, lineOp{'-', a[i]}), i+1
		default:
			ops, j = append(ops, lineOp{'+', b[j]}), j+1
		}
	}
	return ops
}

// nearChange reports whether a change lies within context lines of ops[i].
func nearChange(ops []lineOp, i, context int) bool {
	for k := max(0, i-context); k <= min(len(ops)-1, i+context); k++ {
		if ops[k].kind != ' ' {
			return true
		}
	}
	return false
}
