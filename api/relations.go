package api

import (
	"slices"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Relation expressions (seed 002's `with`): the related records to include, in dot form.
// A relation is a name, or a path of names joined by dots (booking.customer); a list in
// brackets holds several, separated by commas ([booking,booking.customer,sale]); a path
// may end in a list of the relations under it (booking.[customer]). Names are letters,
// digits and underscores, starting with a letter or underscore. Space around names and
// punctuation is allowed. The expression is bounded: at most MaxRelationExprLength bytes,
// lists nested at most MaxRelationDepth deep, at most MaxRelations paths.
const (
	MaxRelationExprLength = 256
	MaxRelationDepth      = 4
	MaxRelations          = 32
	maxRelationName       = 40
)

// ParseRelations returns the dotted paths a relation expression names, in its order and
// without repeats ("" names none): EINVALID in words when it does not parse or passes a
// bound. It does not know which relations exist: ledger.CompleteRelations checks that.
func ParseRelations(expr string) ([]string, error) {
	if len(expr) > MaxRelationExprLength {
		return nil, ledger.Errorf(ledger.EINVALID, "Parameter with is longer than %d characters", MaxRelationExprLength)
	}
	p := &relationParser{text: expr}
	p.space()
	if p.done() {
		return nil, nil
	}
	if err := p.item("", 0); err != nil {
		return nil, err
	}
	if p.space(); !p.done() {
		return nil, p.fail("unexpected %q", p.text[p.at:p.at+1])
	}
	return p.paths, nil
}

// relationParser reads a relation expression from text at at, collecting paths.
type relationParser struct {
	text  string
	at    int
	paths []string
}

func (p *relationParser) done() bool { return p.at >= len(p.text) }

func (p *relationParser) peek() byte {
	if p.done() {
		return 0
	}
	return p.text[p.at]
}

func (p *relationParser) space() {
	for !p.done() && (p.text[p.at] == ' ' || p.text[p.at] == '\t') {
		p.at++
	}
}

// fail words a parse error at the parser's position.
func (p *relationParser) fail(format string, args ...any) error {
	return ledger.Errorf(ledger.EINVALID, "Parameter with is not a relation expression such as [booking,booking.customer,sale]: "+
		format+" at character %d", append(args, p.at+1)...)
}

// item reads a list or a path under prefix ("" at the top), depth lists deep.
func (p *relationParser) item(prefix string, depth int) error {
	if p.peek() == '[' {
		return p.list(prefix, depth+1)
	}
	return p.path(prefix, depth)
}

// list reads "[item, item, ...]" under prefix.
func (p *relationParser) list(prefix string, depth int) error {
	if depth > MaxRelationDepth {
		return p.fail("lists nested more than %d deep", MaxRelationDepth)
	}
	p.at++ // '['
	p.space()
	if p.peek() == ']' {
		p.at++
		return nil
	}
	for {
		if err := p.item(prefix, depth); err != nil {
			return err
		}
		p.space()
		switch p.peek() {
		case ',':
			p.at++
			p.space()
		case ']':
			p.at++
			return nil
		case 0:
			return p.fail("a list without its closing ]")
		default:
			return p.fail("unexpected %q", p.text[p.at:p.at+1])
		}
	}
}

// path reads "name.name..." under prefix, possibly ending in ".[list]".
func (p *relationParser) path(prefix string, depth int) error {
	for {
		name := p.name()
		if name == "" {
			if p.done() {
				return p.fail("a relation name missing")
			}
			return p.fail("unexpected %q where a relation name belongs", p.text[p.at:p.at+1])
		}
		if len(name) > maxRelationName {
			return p.fail("a relation name longer than %d characters", maxRelationName)
		}
		prefix = join(prefix, name)
		if p.peek() != '.' {
			return p.add(prefix)
		}
		p.at++
		if p.peek() == '[' {
			return p.list(prefix, depth+1)
		}
	}
}

// name reads a name, "" when none starts here.
func (p *relationParser) name() string {
	start := p.at
	for !p.done() {
		c := p.text[p.at]
		letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (p.at == start || c < '0' || c > '9') {
			break
		}
		p.at++
	}
	return p.text[start:p.at]
}

// add records a path once.
func (p *relationParser) add(path string) error {
	if slices.Contains(p.paths, path) {
		return nil
	}
	if len(p.paths) == MaxRelations {
		return p.fail("more than %d relations", MaxRelations)
	}
	p.paths = append(p.paths, path)
	return nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// FormatRelations writes paths as a relation expression ParseRelations reads back:
// "[a,b.c]"; "" for none.
func FormatRelations(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	return "[" + strings.Join(paths, ",") + "]"
}
