package ledger

import (
	"slices"
)

// Pick asks for Quantity seats of a sale chosen by the ledger, best available first (see
// BestSeats): in Section (any section when empty) and at PriceLevel (the seats whose
// base price in the sale is PriceLevel, in minor units; any price when 0). In a standing
// section (StandingSection) it asks for that many places. Type names the ticket type
// the tickets are held as; empty for the sale's base price.
type Pick struct {
	Section    string `json:"section,omitempty"`
	PriceLevel int64  `json:"priceLevel,omitempty"`
	Quantity   int    `json:"quantity"`
	Type       string `json:"type,omitempty"`
}

// Validate checks the pick's form: a quantity from 1 to MaxTicketsInBooking, a
// well-formed section, a price level from 0 to MaxPrice, a type of printable text.
// EINVALID otherwise.
func (p Pick) Validate() error {
	switch {
	case p.Quantity < 1:
		return Errorf(EINVALID, "Quantity must be at least 1: how many seats or places to hold")
	case p.Quantity > MaxTicketsInBooking:
		return Errorf(EINVALID, "Quantity must be at most %d: a booking holds at most %d seats", MaxTicketsInBooking, MaxTicketsInBooking)
	case p.PriceLevel < 0 || p.PriceLevel > MaxPrice:
		return Errorf(EINVALID, "Price level must be a price from 0 (any) to %d in minor units", int64(MaxPrice))
	}
	if p.Section != "" {
		if err := (Seat{Number: 1, Section: p.Section}).Validate(); err != nil {
			return Errorf(EINVALID, "Invalid section %q: at most %d characters, without '/' or surrounding spaces", clip(p.Section, 60), MaxSectionLen)
		}
	}
	return ValidateTypeName(p.Type)
}

// Where words the part of the sale the pick chooses from, for messages: `in section
// "Standing"`, "at price level 3500", or "in this sale".
func (p Pick) Where() string {
	switch {
	case p.Section != "" && p.PriceLevel != 0:
		return "in section " + quote(p.Section) + " at price level " + itoa(p.PriceLevel)
	case p.Section != "":
		return "in section " + quote(p.Section)
	case p.PriceLevel != 0:
		return "at price level " + itoa(p.PriceLevel)
	}
	return "in this sale"
}

func quote(s string) string { return `"` + s + `"` }

// BestSeats chooses n of the free seats, given in the contract's seat order, and returns
// their positions in free; nil when fewer than n are free. The rule:
//
//   - A row is the seats of one section that share a letter (in the hall fixture, row A
//     of the Stalls is Stalls/1A to Stalls/20A); a standing section's places, which have
//     no letter, are one row. A seat without a number is a row of its own.
//   - Seats in a row are adjacent when their numbers follow each other (5A and 6A).
//   - Better is earlier: rows rank by their first seat in the contract's seat order (a
//     venue map lists the rows nearest the stage first), and in a row lower numbers
//     rank first.
//
// If n adjacent free seats exist in some row, the best such run gets them, from its
// lowest number. Otherwise the seats are split into as few groups as can be: the longest
// free run (the better one of equal runs) is taken whole, and the rest chosen again by
// the same rule.
func BestSeats(free []Seat, n int) []int {
	if n <= 0 || len(free) < n {
		return nil
	}
	runs := freeRuns(free)
	var picked []int
	for need := n; need > 0; {
		i := slices.IndexFunc(runs, func(r []int) bool { return len(r) >= need })
		if i >= 0 {
			return append(picked, runs[i][:need]...)
		}
		i = longest(runs)
		picked = append(picked, runs[i]...)
		need -= len(runs[i])
		runs = slices.Delete(runs, i, i+1)
	}
	return picked
}

// freeRuns groups the free seats into runs of adjacent seats, best first: positions in
// free, each run in number order.
func freeRuns(free []Seat) [][]int {
	type rowKey struct{ section, letter string }
	rowOf := map[rowKey]int{}
	var rows [][]int // positions of each row's seats; rows by their first seat
	for i, s := range free {
		k := rowKey{s.Section, s.Letter}
		at, ok := rowOf[k]
		if !ok || s.Number == 0 {
			at = len(rows)
			rows = append(rows, nil)
			if s.Number != 0 {
				rowOf[k] = at
			}
		}
		rows[at] = append(rows[at], i)
	}
	var runs [][]int
	for _, row := range rows {
		slices.SortStableFunc(row, func(a, b int) int { return free[a].Number - free[b].Number })
		runs = append(runs, splitRuns(free, row)...)
	}
	return runs
}

// splitRuns cuts a row (positions in number order) where the numbers do not follow.
func splitRuns(free []Seat, row []int) [][]int {
	var runs [][]int
	start := 0
	for i := 1; i <= len(row); i++ {
		if i == len(row) || free[row[i]].Number != free[row[i-1]].Number+1 {
			runs = append(runs, row[start:i])
			start = i
		}
	}
	return runs
}

// longest returns the index of the first of the longest runs.
func longest(runs [][]int) int {
	best := 0
	for i, r := range runs {
		if len(r) > len(runs[best]) {
			best = i
		}
	}
	return best
}
