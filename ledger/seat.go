package ledger

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits on the parts of a seat.
const (
	MaxSeatNumber    = 999999
	MaxLetterLen     = 3
	MaxSectionLen    = 40
	MaxVenueLen      = 200
	MaxContractSeats = 200000
)

// Seat identifies a seat within a contract as Ticketbooth does: a number, a letter, or
// both (0 and "" mean absent), plus an optional section for real venues.
type Seat struct {
	Number  int    `json:"number"`
	Letter  string `json:"letter"`
	Section string `json:"section,omitempty"`
}

// String renders the seat as in Ticketbooth messages: "1A", "5", "C", and with a section
// "Stalls/12C".
func (s Seat) String() string {
	var b strings.Builder
	if s.Section != "" {
		b.WriteString(s.Section)
		b.WriteByte('/')
	}
	if s.Number != 0 {
		b.WriteString(strconv.Itoa(s.Number))
	}
	b.WriteString(s.Letter)
	return b.String()
}

// ErrNoSuchSeat is the refusal (EREFUSED) of a well-formed seat that the contract's hall
// lacks, in Ticketbooth's words ("Invalid seat 9Z") and then ours.
func ErrNoSuchSeat(s Seat) error {
	return Errorf(EREFUSED, "Invalid seat %s: it is well-formed, but this hall has no such seat", s)
}

// Validate reports whether the seat is well formed, as an EINVALID *Error naming the seat.
func (s Seat) Validate() error {
	switch {
	case s.Number == 0 && s.Letter == "":
		return Errorf(EINVALID, "Invalid seat: a seat needs a number, a letter or both")
	case s.Number < 0 || s.Number > MaxSeatNumber:
		return Errorf(EINVALID, "Invalid seat %s: number must be between 1 and %d", s, MaxSeatNumber)
	case len(s.Letter) > MaxLetterLen || !isLetters(s.Letter):
		return Errorf(EINVALID, "Invalid seat %s: letter must be 1 to %d letters A-Z", s, MaxLetterLen)
	case len(s.Section) > MaxSectionLen || strings.ContainsAny(s.Section, "/\n\r\t") ||
		strings.TrimSpace(s.Section) != s.Section:
		return Errorf(EINVALID, "Invalid seat %q: section must be at most %d characters, without '/' or surrounding spaces", s.String(), MaxSectionLen)
	}
	return CheckText("The section of a seat", s.Section)
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// ParseSeat parses the command-line seat syntax: "1A" (number 1, letter A), "A" or "12"
// when a seat has one part, "Stalls/12C" with a section.
func ParseSeat(text string) (Seat, error) {
	var s Seat
	rest := strings.TrimSpace(text)
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		s.Section, rest = rest[:i], rest[i+1:]
	}
	digits := 0
	for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
		digits++
	}
	if digits > 0 {
		if digits > 6 {
			return Seat{}, Errorf(EINVALID, "Invalid seat %q: number too large", text)
		}
		s.Number, _ = strconv.Atoi(rest[:digits])
		if s.Number == 0 {
			return Seat{}, Errorf(EINVALID, "Invalid seat %q: number must be at least 1", text)
		}
	}
	s.Letter = rest[digits:]
	if err := s.Validate(); err != nil {
		return Seat{}, Errorf(EINVALID, "Invalid seat %q: write it as 1A, 12, A or Section/12A", text)
	}
	return s, nil
}

// foldedKey is equal for two seats that differ at most in the case of their letters and
// section.
func (s Seat) foldedKey() string {
	return strings.ToLower(s.Key())
}

// Key returns a string that is equal for two seats exactly when they are the same seat.
func (s Seat) Key() string {
	return fmt.Sprintf("%s/%d/%s", s.Section, s.Number, s.Letter)
}
