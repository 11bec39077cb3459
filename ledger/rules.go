package ledger

import (
	"strings"
	"time"
	"unicode/utf8"
)

// MaxPrice bounds prices and fees so sums of a whole stadium cannot overflow.
const MaxPrice = 1_000_000_000_000

// MaxSaleBlocks bounds how far ahead of the current height a sale may end: 100 million
// blocks, about 50 years at the default 16 s block (a sale that far away could never be
// ended, and the heights near the int64 limit would overflow sums).
const MaxSaleBlocks = 100_000_000

// maxShowTime bounds a show's time: a date before it is sane, and prints.
var maxShowTime = time.Date(2200, time.January, 1, 0, 0, 0, 0, time.UTC)

// ValidateContract checks a new contract's venue, seats and standing sections: a venue
// name, at least one seat or standing section, every seat well formed and none twice,
// the standing sections as ValidateStanding checks them.
func ValidateContract(venue string, seats []Seat, standing ...StandingSection) error {
	switch {
	case strings.TrimSpace(venue) == "":
		return Errorf(EINVALID, "Venue must be given")
	case utf8.RuneCountInString(venue) > MaxVenueLen || !utf8.ValidString(venue):
		return Errorf(EINVALID, "Venue must be valid text of at most %d characters", MaxVenueLen)
	case len(seats) == 0 && len(standing) == 0:
		return Errorf(EINVALID, "Seats must be given: at least one seat or standing section")
	case len(seats) > MaxContractSeats:
		return Errorf(EINVALID, "Too many seats: %d, at most %d per contract", len(seats), MaxContractSeats)
	}
	if err := CheckText("Venue", venue); err != nil {
		return err
	}
	seen := make(map[string]Seat, len(seats))
	for _, s := range seats {
		if err := s.Validate(); err != nil {
			return err
		}
		if first, dup := seen[s.foldedKey()]; dup {
			return duplicateSeat(first, s)
		}
		seen[s.foldedKey()] = s
	}
	return ValidateStanding(seats, standing)
}

// duplicateSeat is the refusal of a contract that names a seat twice, or two seats that
// differ only in case ("1A" and "1a"), which print and read alike on a ticket.
func duplicateSeat(first, again Seat) error {
	if first == again {
		return Errorf(EINVALID, "Seats must be unique: %s appears more than once", again)
	}
	return Errorf(EINVALID, "Seats %s and %s differ only in upper and lower case: they print and read alike on a ticket, so a contract may have only one of them", first, again)
}

// ValidateRules checks rule values: a fee within 0..MaxPrice, a non-negative block count.
func ValidateRules(r Rules) error {
	switch {
	case r.ReleaseFee < 0 || r.ReleaseFee > MaxPrice:
		return Errorf(EINVALID, "Fee must be between 0 and %d", int64(MaxPrice))
	case r.NoReleaseBlocks < 0:
		return Errorf(EINVALID, "Count must not be negative")
	}
	return nil
}

// RulesChange names the rules to change at once; a nil member stays as it is.
type RulesChange struct {
	ReleaseFee                  *int64 `json:"fee,omitempty"`
	NoReleaseBlocks             *int64 `json:"noReleaseBlocks,omitempty"`
	RequireIdentityVerification *bool  `json:"requireIdentityVerification,omitempty"`
}

// Empty reports whether the change names no rule.
func (c RulesChange) Empty() bool {
	return c.ReleaseFee == nil && c.NoReleaseBlocks == nil && c.RequireIdentityVerification == nil
}

// Apply returns the rules with the change made.
func (c RulesChange) Apply(r Rules) Rules {
	if c.ReleaseFee != nil {
		r.ReleaseFee = *c.ReleaseFee
	}
	if c.NoReleaseBlocks != nil {
		r.NoReleaseBlocks = *c.NoReleaseBlocks
	}
	if c.RequireIdentityVerification != nil {
		r.RequireIdentityVerification = *c.RequireIdentityVerification
	}
	return r
}

// SalePrices checks a BeginSale request against the contract's seats, the current height
// and time, in Ticketbooth's order, and returns the price of each seat in the order of
// seats: prices are matched by seat, never by position. The sale's ticket types are
// checked last, against the seats and those prices (ValidateTicketTypes).
func SalePrices(seats []Seat, prices []SeatPrice, d SaleDetails, height int64, now time.Time) ([]int64, error) {
	if len(prices) == 0 {
		return nil, Errorf(EINVALID, "Seat prices must be given: one for every seat")
	}
	byKey := make(map[string]int64, len(prices))
	for _, p := range prices {
		if _, dup := byKey[p.Seat.Key()]; dup {
			return nil, Errorf(EINVALID, "Cannot price the same seat more than once: %s", p.Seat)
		}
		if p.Price < 0 || p.Price > MaxPrice {
			return nil, Errorf(EINVALID, "Price of seat %s must be between 0 and %d", p.Seat, int64(MaxPrice))
		}
		byKey[p.Seat.Key()] = p.Price
	}
	if err := validateDetails(d, height, now); err != nil {
		return nil, err
	}
	out := make([]int64, len(seats))
	for i, s := range seats {
		price, ok := byKey[s.Key()]
		if !ok {
			return nil, Errorf(EINVALID, "Must supply prices for all seats: seat %s has no price", s)
		}
		out[i] = price
		delete(byKey, s.Key())
	}
	for _, p := range prices {
		if _, left := byKey[p.Seat.Key()]; left {
			return nil, ErrNoSuchSeat(p.Seat)
		}
	}
	if err := ValidateTicketTypes(d.TicketTypes, seats, out); err != nil {
		return nil, err
	}
	return out, nil
}

func validateDetails(d SaleDetails, height int64, now time.Time) error {
	switch {
	case strings.TrimSpace(d.Name) == "":
		return Errorf(EINVALID, "Name must be given")
	case strings.TrimSpace(d.Organiser) == "":
		return Errorf(EINVALID, "Organiser must be given")
	case utf8.RuneCountInString(d.Name) > 200 || utf8.RuneCountInString(d.Organiser) > 200 || !utf8.ValidString(d.Name+d.Organiser):
		return Errorf(EINVALID, "Name and organiser must be valid text of at most 200 characters")
	case d.Time <= now.Unix():
		return Errorf(EREFUSED, "Time must be in the future")
	case d.Time >= maxShowTime.Unix():
		return Errorf(EINVALID, "Time must be a date before the year %d", maxShowTime.Year())
	case d.EndOfSale <= height:
		return Errorf(EREFUSED, "End of sale must be in the future. Consensus height is at %d", height)
	case d.EndOfSale-height > MaxSaleBlocks:
		return Errorf(EINVALID, "End of sale must be at most %d blocks after the current height %d", int64(MaxSaleBlocks), height)
	case len(d.Currency) > 8:
		return Errorf(EINVALID, "Currency must be a short label such as EUR")
	case d.HoldTime != 0 && (time.Duration(d.HoldTime) < MinHoldTime || time.Duration(d.HoldTime) > MaxHoldTime):
		return Errorf(EINVALID, "Hold time must be between %s and %s", MinHoldTime, MaxHoldTime)
	}
	if err := checkTexts("Name", d.Name, "Organiser", d.Organiser, "Currency", d.Currency, "Time zone", d.TimeZone); err != nil {
		return err
	}
	if d.TimeZone != "" {
		if _, err := time.LoadLocation(d.TimeZone); err != nil || strings.ContainsAny(d.TimeZone, " \\") {
			return Errorf(EINVALID, "Time zone %q is not a known IANA zone such as Europe/Zurich", clip(d.TimeZone, 40))
		}
	}
	return nil
}

// Refund is what a release pays back: the price less the fee, never below zero.
func Refund(price, fee int64) int64 {
	if price > fee {
		return price - fee
	}
	return 0
}

// ReleaseOpen reports whether tickets may still be released at height: height +
// noReleaseBlocks < endOfSale, computed without overflow.
func ReleaseOpen(height, noReleaseBlocks, endOfSale int64) bool {
	if noReleaseBlocks < 0 || height >= endOfSale {
		return false
	}
	return noReleaseBlocks < endOfSale-height
}
