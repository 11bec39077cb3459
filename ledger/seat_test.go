package ledger_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestParseSeat(t *testing.T) {
	tests := []struct {
		text string
		want ledger.Seat
	}{
		{"1A", ledger.Seat{Number: 1, Letter: "A"}},
		{"12", ledger.Seat{Number: 12}},
		{"C", ledger.Seat{Letter: "C"}},
		{"999999ZZZ", ledger.Seat{Number: 999999, Letter: "ZZZ"}},
		{"Stalls/12C", ledger.Seat{Section: "Stalls", Number: 12, Letter: "C"}},
		{"North Stand/7", ledger.Seat{Section: "North Stand", Number: 7}},
		{" 3B ", ledger.Seat{Number: 3, Letter: "B"}},
		{"007A", ledger.Seat{Number: 7, Letter: "A"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := ledger.ParseSeat(tt.text)
			if err != nil {
				t.Fatalf("ParseSeat(%q): %v", tt.text, err)
			}
			if got != tt.want {
				t.Errorf("ParseSeat(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestSeatStringRoundTrip(t *testing.T) {
	seats := []ledger.Seat{
		{Number: 1, Letter: "A"},
		{Number: 5},
		{Letter: "C"},
		{Number: 999999, Letter: "ABC"},
		{Section: "Stalls", Number: 12, Letter: "C"},
		{Section: "Upper Tier 2", Letter: "D"},
		{Section: "Box", Number: 3},
		{Section: strings.Repeat("s", ledger.MaxSectionLen), Number: 1, Letter: "A"},
	}
	for _, s := range seats {
		t.Run(s.String(), func(t *testing.T) {
			if err := s.Validate(); err != nil {
				t.Fatalf("Validate(%+v): %v", s, err)
			}
			got, err := ledger.ParseSeat(s.String())
			if err != nil {
				t.Fatalf("ParseSeat(%q): %v", s.String(), err)
			}
			if got != s || got.Key() != s.Key() {
				t.Errorf("ParseSeat(%q) = %+v, want %+v", s.String(), got, s)
			}
		})
	}
}

func TestSeatString(t *testing.T) {
	tests := []struct {
		seat ledger.Seat
		want string
	}{
		{ledger.Seat{Number: 1, Letter: "A"}, "1A"},
		{ledger.Seat{Number: 5}, "5"},
		{ledger.Seat{Letter: "C"}, "C"},
		{ledger.Seat{Section: "Stalls", Number: 12, Letter: "C"}, "Stalls/12C"},
	}
	for _, tt := range tests {
		if got := tt.seat.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.seat, got, tt.want)
		}
	}
}

func TestParseSeatRejects(t *testing.T) {
	for _, text := range []string{
		"", "   ", "0", "0A", "1000000A", "1234567", "1A2", "A1", "1-A", "1ABCD", "1Ä",
		"Stalls/", "Stalls /1A", "/", strings.Repeat("s", ledger.MaxSectionLen+1) + "/1A",
		"a/b/1A", "1 A",
	} {
		t.Run(text, func(t *testing.T) {
			s, err := ledger.ParseSeat(text)
			if err == nil {
				t.Fatalf("ParseSeat(%q) = %+v, want an error", text, s)
			}
			wantCode(t, err, ledger.EINVALID)
		})
	}
}

func TestSeatValidateRejects(t *testing.T) {
	for _, s := range []ledger.Seat{
		{},
		{Number: -1, Letter: "A"},
		{Number: ledger.MaxSeatNumber + 1},
		{Number: 1, Letter: "AAAA"},
		{Number: 1, Letter: "1"},
		{Number: 1, Letter: " "},
		{Section: "a/b", Number: 1},
		{Section: " Stalls", Number: 1},
		{Section: "Stalls\n", Number: 1},
		{Section: strings.Repeat("x", ledger.MaxSectionLen+1), Number: 1},
	} {
		t.Run(s.String(), func(t *testing.T) {
			wantCode(t, s.Validate(), ledger.EINVALID)
		})
	}
}

func TestSeatKeyDistinguishes(t *testing.T) {
	seats := []ledger.Seat{
		{Number: 1, Letter: "A"}, {Number: 1}, {Letter: "A"}, {Number: 11, Letter: "A"},
		{Section: "S", Number: 1, Letter: "A"}, {Section: "S1", Letter: "A"}, {Section: "S", Number: 11, Letter: "A"},
	}
	seen := map[string]ledger.Seat{}
	for _, s := range seats {
		if other, dup := seen[s.Key()]; dup {
			t.Errorf("seats %+v and %+v share key %q", s, other, s.Key())
		}
		seen[s.Key()] = s
	}
}

func TestValidateContract(t *testing.T) {
	seats := []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 1, Letter: "B"}}
	if err := ledger.ValidateContract("Hall", seats); err != nil {
		t.Fatalf("ValidateContract: %v", err)
	}
	tests := map[string]struct {
		venue string
		seats []ledger.Seat
	}{
		"NoVenue":      {"  ", seats},
		"LongVenue":    {strings.Repeat("v", ledger.MaxVenueLen+1), seats},
		"BadUTF8Venue": {"Hall\xff", seats},
		"NoSeats":      {"Hall", nil},
		"Duplicate":    {"Hall", []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 2}, {Number: 1, Letter: "A"}}},
		"InvalidSeat":  {"Hall", []ledger.Seat{{Number: 1, Letter: "A"}, {}}},
		"TooMany":      {"Hall", make([]ledger.Seat, ledger.MaxContractSeats+1)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			wantCode(t, ledger.ValidateContract(tt.venue, tt.seats), ledger.EINVALID)
		})
	}
}
