package ledger

import (
	"fmt"
	"strings"
	"testing"
)

func seatsOf(t testing.TB, texts string) []Seat {
	var out []Seat
	for _, text := range strings.Fields(texts) {
		s, err := ParseSeat(text)
		if err != nil {
			t.Fatalf("ParseSeat(%q): %v", text, err)
		}
		out = append(out, s)
	}
	return out
}

// TestBestSeats: adjacent seats in the best row with room, lowest numbers first; else
// the fewest groups, longest runs first; a standing section's places are one row.
func TestBestSeats(t *testing.T) {
	for _, tt := range []struct {
		free string
		n    int
		want string
	}{
		{"1A 2A 3A 1B 2B", 2, "1A 2A"},
		{"1A 3A 4A 1B 2B 3B", 3, "1B 2B 3B"},
		{"1A 3A 4A 1B 2B 3B", 2, "3A 4A"},
		{"3A 1A 2A", 3, "1A 2A 3A"},               // a row in number order, whatever the seat order
		{"1A 3A 5A 1B 2B 4B", 4, "1B 2B 1A 3A"},   // longest run whole, then the best seat left
		{"1A 3A 5A 7A", 3, "1A 3A 5A"},            // no two adjacent: the best ones
		{"S/1 S/2 S/4 S/5 S/6", 3, "S/4 S/5 S/6"}, // places: one row
		{"X/1A Y/2A Y/3A", 2, "Y/2A Y/3A"},        // sections are rows apart
		{"A B C", 2, "A B"},                       // seats without numbers stand alone
		{"1A 2A", 3, ""},                          // too few
	} {
		got := BestSeats(seatsOf(t, tt.free), tt.n)
		var names []string
		for _, i := range got {
			names = append(names, seatsOf(t, tt.free)[i].String())
		}
		if strings.Join(names, " ") != tt.want {
			t.Errorf("BestSeats(%s, %d) = %v, want %s", tt.free, tt.n, names, tt.want)
		}
	}
}

// FuzzBestSeats: whatever the free seats, the pick is n distinct positions among them,
// or nil when fewer are free.
func FuzzBestSeats(f *testing.F) {
	f.Add([]byte{1, 2, 3, 7, 8, 20}, uint8(3))
	f.Add([]byte{0, 0, 1, 255}, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, n uint8) {
		var free []Seat
		seen := map[Seat]bool{}
		for _, b := range data {
			s := Seat{Number: int(b % 16), Letter: string(rune('A' + b/16%4))}
			if !seen[s] {
				seen[s] = true
				free = append(free, s)
			}
		}
		got := BestSeats(free, int(n))
		if int(n) > len(free) || n == 0 {
			if got != nil {
				t.Fatalf("picked %v of %d free for %d", got, len(free), n)
			}
			return
		}
		taken := map[int]bool{}
		for _, i := range got {
			if i < 0 || i >= len(free) || taken[i] {
				t.Fatalf("position %d picked badly in %v", i, got)
			}
			taken[i] = true
		}
		if len(got) != int(n) {
			t.Fatalf("picked %d, want %d", len(got), n)
		}
	})
}

func TestParseStanding(t *testing.T) {
	s, err := ParseStanding(" Standing = 2000 ")
	if err != nil || s != (StandingSection{Section: "Standing", Capacity: 2000}) {
		t.Errorf("ParseStanding = %+v, %v", s, err)
	}
	for _, text := range []string{"Standing", "Standing=", "=20", "Standing=0", "Standing=-1", "Standing=1x", "A/B=3", "S=99999999"} {
		if _, err := ParseStanding(text); ErrorCode(err) != EINVALID {
			t.Errorf("ParseStanding(%q) = %v, want EINVALID", text, err)
		}
	}
}

func TestPickWhere(t *testing.T) {
	got := fmt.Sprint(Pick{Section: "Pit"}.Where(), "|", Pick{PriceLevel: 35}.Where(), "|", Pick{}.Where())
	if got != `in section "Pit"|at price level 35|in this sale` {
		t.Errorf("Where = %s", got)
	}
}
