package archtest

import (
	"slices"
	"strings"
	"testing"
)

// engines are the libraries that draw and read QR codes and set type. The packages that only
// sell, check in or talk HTTP must not link them: a plain API client stays small.
var engines = []string{
	"github.com/makiuchi-d/gozxing",
	"github.com/skip2/go-qrcode",
	"github.com/jung-kurt/gofpdf",
	"golang.org/x/image",
}

// lean are the packages that must link none of the engines.
var lean = []string{"crypto", "ledger", "issuer", "scanner", "api", "client"}

// mayImport lists, for the packages whose place in the house is fixed, every package of the
// module they may import directly. The engines know nothing of tickets or the ledger; the
// domain imports only crypto; the store imports the domain and never the other way.
var mayImport = map[string][]string{
	"crypto":           {},
	"ledger":           {"crypto"},
	"ledger/sqlstore":  {"crypto", "ledger"},
	"qrdecode":         {},
	"qrdecode/pdfscan": {"qrdecode"},
	"ticketpdf/pdf":    {},
	"issuer":           {"crypto", "ledger"},
	"scanner":          {"crypto", "ledger"},
	"api":              {"crypto", "issuer", "ledger", "scanner"},
	"client":           {"api", "crypto", "issuer", "ledger", "scanner"},
	// the courier builds mails from the domain and the renderers; the server never
	// builds mail, wiring hands it the courier
	"delivery": {"crypto", "delivery/mail", "delivery/pkpass", "issuer", "ledger", "ticketpdf"},
}

// testOnly are packages that exist for tests: the ticketbooth binary must not link them.
// (internal/forge is not one: the demo plays its attack at the gate for the audience.)
var testOnly = []string{"internal/archtest", "internal/golden", "internal/imagebomb", "internal/mailtest",
	"internal/passtest", "internal/pgtest", "internal/smtptest", "internal/testclock", "internal/testtool", "ledger/ledgertest"}

func TestEnginesStayOutOfLeanPackages(t *testing.T) {
	g := loadGraph(t)
	for _, name := range lean {
		p, ok := g.pkgs[name]
		if !ok {
			t.Errorf("package %s is gone: update the rules in this file", name)
			continue
		}
		for _, e := range engines {
			if slices.ContainsFunc(p.Deps, within(e)) {
				t.Errorf("%s links %s (%s)", name, e, g.why(name, within(e)))
			}
		}
	}
}

func TestImportsRunOneWay(t *testing.T) {
	g := loadGraph(t)
	for name, allowed := range mayImport {
		if _, ok := g.pkgs[name]; !ok {
			t.Errorf("package %s is gone: update the rules in this file", name)
			continue
		}
		for _, imp := range g.imports(name) {
			if !slices.Contains(allowed, imp) {
				t.Errorf("%s imports %s; it may import only %v", name, imp, allowed)
			}
		}
	}
	for _, name := range g.names() {
		for _, imp := range g.imports(name) {
			if strings.HasPrefix(imp, "cmd/") {
				t.Errorf("%s imports the command %s", name, imp)
			}
			if imp == "server" && !strings.HasPrefix(name, "cmd/") && name != "internal/wiring" {
				t.Errorf("%s imports server: only the commands wire the server (through internal/wiring)", name)
			}
		}
	}
}

func TestBinaryLinksNoTestHelpers(t *testing.T) {
	g := loadGraph(t)
	bin, ok := g.pkgs["cmd/ticketbooth"]
	if !ok {
		t.Fatal("cmd/ticketbooth is gone")
	}
	for _, dep := range bin.Deps {
		if slices.Contains(testOnly, g.rel(dep)) {
			t.Errorf("cmd/ticketbooth links the test helper %s (%s)", g.rel(dep), g.why("cmd/ticketbooth", within(dep)))
		}
	}
}

// within returns whether a package path is root or below it.
func within(root string) func(string) bool {
	return func(path string) bool { return path == root || strings.HasPrefix(path, root+"/") }
}

// why names one chain of imports from the module package from to a package that match
// accepts.
func (g *graph) why(from string, match func(string) bool) string {
	seen := map[string]bool{}
	var walk func(p string) []string
	walk = func(p string) []string {
		if seen[p] {
			return nil
		}
		seen[p] = true
		for _, imp := range g.pkgs[g.rel(p)].Imports {
			if match(imp) {
				return []string{p, imp}
			}
			if g.rel(imp) != "" {
				if path := walk(imp); path != nil {
					return append([]string{p}, path...)
				}
			}
		}
		return nil
	}
	var rels []string
	for _, p := range walk(g.module + "/" + from) {
		if r := g.rel(p); r != "" {
			p = r
		}
		rels = append(rels, p)
	}
	return "via " + strings.Join(rels, " -> ")
}
