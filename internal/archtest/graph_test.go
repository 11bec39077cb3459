package archtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
)

// pkg is what `go list -json` says of one package that matters here.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// graph is the module's packages (production code only: test files are left out) by their
// path relative to the module, e.g. "ledger/sqlstore".
type graph struct {
	module string
	pkgs   map[string]pkg
}

var (
	listOnce  sync.Once
	listed    *graph
	listError error
)

// loadGraph lists every package of the module once; every test of this package shares it.
func loadGraph(t *testing.T) *graph {
	t.Helper()
	listOnce.Do(func() { listed, listError = listModule() })
	if listError != nil {
		t.Fatal(listError)
	}
	return listed
}

func listModule() (*graph, error) {
	mod, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		return nil, fmt.Errorf("go list -m: %w", err)
	}
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list ./...: %w", err)
	}
	g := &graph{module: strings.TrimSpace(string(mod)), pkgs: map[string]pkg{}}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("reading go list: %w", err)
		}
		g.pkgs[g.rel(p.ImportPath)] = p
	}
	return g, nil
}

// rel returns path relative to the module, or "" for a package outside it.
func (g *graph) rel(path string) string {
	if path == g.module {
		return "."
	}
	if r, ok := strings.CutPrefix(path, g.module+"/"); ok {
		return r
	}
	return ""
}

// imports returns the module's packages that p imports directly.
func (g *graph) imports(p string) []string {
	var out []string
	for _, imp := range g.pkgs[p].Imports {
		if r := g.rel(imp); r != "" {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

// names returns the module's packages in path order.
func (g *graph) names() []string {
	var out []string
	for name := range g.pkgs {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
