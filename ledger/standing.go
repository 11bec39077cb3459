package ledger

import (
	"strings"
)

// StandingSection is a general-admission section of a contract: Capacity unnumbered
// places sold by quantity. Its places are seats like any other, in the section, numbered
// 1 to Capacity without a letter ("Standing/17"), so holding, selling, printing and
// scanning them is what it is for seats, and the conditional update that takes a seat
// takes a place: the capacity can never be exceeded.
type StandingSection struct {
	Section  string `json:"section"`
	Capacity int    `json:"capacity"`
}

// Places returns the section's places as seats: numbers 1 to Capacity, no letter.
func (s StandingSection) Places() []Seat {
	places := make([]Seat, s.Capacity)
	for i := range places {
		places[i] = Seat{Number: i + 1, Section: s.Section}
	}
	return places
}

// ContractSeats returns every seat of a contract created with the seats and the standing
// sections: the seats in their order, then each standing section's places.
func ContractSeats(seats []Seat, standing []StandingSection) []Seat {
	if len(standing) == 0 {
		return seats
	}
	all := append([]Seat(nil), seats...)
	for _, s := range standing {
		all = append(all, s.Places()...)
	}
	return all
}

// ValidateStanding checks a new contract's standing sections against its seats: each a
// well-formed, non-empty section name given once, that no seat of the contract is in,
// with a capacity of 1 or more, and all the seats and places together at most
// MaxContractSeats. EINVALID otherwise.
func ValidateStanding(seats []Seat, standing []StandingSection) error {
	total := len(seats)
	named := make(map[string]bool, len(standing))
	for _, s := range standing {
		if err := s.validate(); err != nil {
			return err
		}
		key := strings.ToLower(s.Section)
		if named[key] {
			return Errorf(EINVALID, "Standing section %q is given twice", s.Section)
		}
		named[key] = true
		if total += s.Capacity; total > MaxContractSeats {
			return Errorf(EINVALID, "Too many seats and places: more than %d per contract", MaxContractSeats)
		}
	}
	for _, seat := range seats {
		if named[strings.ToLower(seat.Section)] {
			return Errorf(EINVALID, "Seat %s is in %q, which is a standing section: a section is either seated or standing", seat, seat.Section)
		}
	}
	return nil
}

func (s StandingSection) validate() error {
	if s.Section == "" {
		return Errorf(EINVALID, "A standing section needs a name")
	}
	if err := (Seat{Number: 1, Section: s.Section}).Validate(); err != nil {
		return Errorf(EINVALID, "Invalid standing section %q: its name must be at most %d characters, without '/' or surrounding spaces", clip(s.Section, 60), MaxSectionLen)
	}
	if s.Capacity < 1 || s.Capacity > MaxContractSeats {
		return Errorf(EINVALID, "Standing section %q needs a capacity from 1 to %d places", s.Section, MaxContractSeats)
	}
	return nil
}

// ParseStanding reads a standing section as the command line writes it: "Standing=2000",
// the section's name and its capacity.
func ParseStanding(text string) (StandingSection, error) {
	name, capacity, ok := strings.Cut(text, "=")
	n, err := parseCount(strings.TrimSpace(capacity))
	if !ok || err != nil {
		return StandingSection{}, Errorf(EINVALID, "Invalid standing section %q: write it as NAME=CAPACITY, e.g. Standing=2000", clip(text, 60))
	}
	s := StandingSection{Section: strings.TrimSpace(name), Capacity: n}
	return s, s.validate()
}

// parseCount reads a whole number of at most 7 digits.
func parseCount(text string) (int, error) {
	if text == "" || len(text) > 7 {
		return 0, Errorf(EINVALID, "not a count")
	}
	n := 0
	for _, r := range text {
		if r < '0' || r > '9' {
			return 0, Errorf(EINVALID, "not a count")
		}
		n = n*10 + int(r-'0')
	}
	return n, nil
}
