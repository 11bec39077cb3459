package archtest

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "redraw the README's picture of the packages")

const (
	readme       = "../../README.md"
	pictureStart = "<!-- imports: drawn from the code by `go test ./internal/archtest -update`; a test checks it -->"
	pictureEnd   = "<!-- end of imports -->"
)

// TestREADMEPicture checks that the README draws the packages and their imports as the code
// has them.
func TestREADMEPicture(t *testing.T) {
	g := loadGraph(t)
	text, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(text), pictureStart+"\n")
	old, after, ok2 := strings.Cut(rest, pictureEnd)
	if !ok1 || !ok2 {
		t.Fatalf("README.md has no picture between %q and %q", pictureStart, pictureEnd)
	}
	drawn := g.picture()
	if old == drawn {
		return
	}
	if !*update {
		t.Fatalf("README.md's picture of the imports is out of date: run go test ./internal/archtest -update\nnow:\n%s", drawn)
	}
	if err := os.WriteFile(readme, []byte(before+pictureStart+"\n"+drawn+pictureEnd+after), 0o644); err != nil {
		t.Fatal(err)
	}
}

// picture draws the production packages (not the test helpers) as a Mermaid flowchart, an
// arrow for each import that no longer chain of imports already implies.
func (g *graph) picture() string {
	var b strings.Builder
	b.WriteString("```mermaid\nflowchart TD\n")
	drawn := g.drawn()
	for _, p := range drawn {
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", id(p), p)
	}
	for _, from := range drawn {
		for _, to := range g.imports(from) {
			if slices.Contains(drawn, to) && !g.implied(from, to) {
				fmt.Fprintf(&b, "  %s --> %s\n", id(from), id(to))
			}
		}
	}
	b.WriteString("```\n")
	return b.String()
}

// drawn are the packages the picture shows.
func (g *graph) drawn() []string {
	return slices.DeleteFunc(g.names(), func(p string) bool {
		return slices.Contains(testOnly, p) || strings.HasPrefix(p, "e2e/")
	})
}

// implied returns whether from reaches to through another package it imports.
func (g *graph) implied(from, to string) bool {
	for _, via := range g.imports(from) {
		if via != to && g.reaches(via, to) {
			return true
		}
	}
	return false
}

func (g *graph) reaches(from, to string) bool {
	return slices.ContainsFunc(g.pkgs[from].Deps, func(d string) bool { return g.rel(d) == to })
}

// id names a package as Mermaid wants it.
func id(p string) string { return strings.ReplaceAll(p, "/", "_") }
