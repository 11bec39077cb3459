package ledger

import (
	"strings"
	"unicode/utf8"
)

// Limits of a sale's ticket types.
const (
	MaxTicketTypes   = 16
	MaxTypeNameLen   = 40
	MaxTypePrices    = 100000 // the prices of all of a sale's types together
	MaxTypesListed   = 8      // how many type names a refusal lists
	typeScopeAll     = 0
	typeScopeLevel   = 1
	typeScopeSection = 2
	typeScopeSeat    = 3
)

// TicketType is a named kind of ticket a sale offers besides the base price (for example
// "reduced" or "child"), with its own prices. A price applies to one seat, to the seats
// of a section, to a price level (the seats whose base price in the sale is that level),
// or to every seat; a seat's most specific price wins (seat, then section, then price
// level, then every seat). A seat that none of the type's prices covers is not offered
// as this type. A ticket of no type (name "") costs the seat's base price.
type TicketType struct {
	Name   string      `json:"name"`
	Prices []TypePrice `json:"prices"`
}

// TypePrice is one price of a ticket type, in minor units of the sale's currency, and
// the seats it applies to: Seat, Section (every seat of that section; "" names the seats
// of no section), PriceLevel (every seat of that base price), or none of them: every
// seat. At most one of the three is given.
type TypePrice struct {
	Seat       *Seat   `json:"seat,omitempty"`
	Section    *string `json:"section,omitempty"`
	PriceLevel *int64  `json:"priceLevel,omitempty"`
	Price      int64   `json:"price"`
}

// PriceForSeat is a type's price for one seat.
func PriceForSeat(seat Seat, price int64) TypePrice { return TypePrice{Seat: &seat, Price: price} }

// PriceForSection is a type's price for every seat of a section.
func PriceForSection(section string, price int64) TypePrice {
	return TypePrice{Section: &section, Price: price}
}

// PriceForLevel is a type's price for every seat whose base price in the sale is level:
// how a price category of Ticketpark (a price per category and price name) maps onto a
// type (one per price name).
func PriceForLevel(level, price int64) TypePrice { return TypePrice{PriceLevel: &level, Price: price} }

// PriceForAll is a type's price for every seat of the sale that no more specific price of
// the type covers.
func PriceForAll(price int64) TypePrice { return TypePrice{Price: price} }

// scope is how specific the price is (typeScopeAll to typeScopeSeat) and its key within
// that scope (the seat's Key, the section, or the level in decimal).
func (p TypePrice) scope() (int, string) {
	switch {
	case p.Seat != nil:
		return typeScopeSeat, p.Seat.Key()
	case p.Section != nil:
		return typeScopeSection, *p.Section
	case p.PriceLevel != nil:
		return typeScopeLevel, itoa(*p.PriceLevel)
	}
	return typeScopeAll, ""
}

// PriceOf returns the type's price for the seat whose base price in the sale is base,
// and whether the type is offered for it at all.
func (t TicketType) PriceOf(seat Seat, base int64) (int64, bool) {
	best, price := -1, int64(0)
	for _, p := range t.Prices {
		scope, key := p.scope()
		if scope > best && p.applies(scope, key, seat, base) {
			best, price = scope, p.Price
		}
	}
	return price, best >= 0
}

func (p TypePrice) applies(scope int, key string, seat Seat, base int64) bool {
	switch scope {
	case typeScopeSeat:
		return key == seat.Key()
	case typeScopeSection:
		return key == seat.Section
	case typeScopeLevel:
		return *p.PriceLevel == base
	}
	return true
}

// FindTicketType returns the sale's type of that name (exactly as the sale spells it).
func FindTicketType(types []TicketType, name string) (TicketType, bool) {
	for _, t := range types {
		if t.Name == name {
			return t, true
		}
	}
	return TicketType{}, false
}

// ErrUnknownTicketType is the refusal (EREFUSED) of a ticket type the sale does not
// offer, naming the ones it does.
func ErrUnknownTicketType(name string, types []TicketType) error {
	if len(types) == 0 {
		return Errorf(EREFUSED, "Ticket type %q is not offered: this sale has no ticket types, only its base prices (give no type)", clip(name, 40))
	}
	names := make([]string, 0, MaxTypesListed)
	for i, t := range types {
		if i == MaxTypesListed {
			names = append(names, "…")
			break
		}
		names = append(names, t.Name)
	}
	return Errorf(EREFUSED, "Ticket type %q is not offered in this sale; it offers %s (or no type, for the base price)",
		clip(name, 40), strings.Join(names, ", "))
}

// ErrTypeNotForSeat is the refusal (EREFUSED) of a ticket type that has no price for the seat.
func ErrTypeNotForSeat(name string, seat Seat) error {
	return Errorf(EREFUSED, "Ticket type %q is not offered for seat %s: the sale gives it no price there", name, seat)
}

// ValidateTypeName checks the shape of a ticket type's name as a hold or a sale gives it:
// "" (no type: the base price) or trimmed text of at most MaxTypeNameLen characters
// without control or invisible characters.
func ValidateTypeName(name string) error {
	switch {
	case name == "":
		return nil
	case strings.TrimSpace(name) != name:
		return Errorf(EINVALID, "Ticket type %q must not begin or end with spaces", clip(name, 40))
	case utf8.RuneCountInString(name) > MaxTypeNameLen:
		return Errorf(EINVALID, "Ticket type name must be at most %d characters", MaxTypeNameLen)
	}
	return CheckText("Ticket type name", name)
}

// ValidateTicketTypes checks a sale's ticket types against the contract's seats and their
// base prices (in seat order): at most MaxTicketTypes types, each with a name (unique,
// ignoring case) and at least one price, at most MaxTypePrices prices in all, every price
// between 0 and MaxPrice and naming at most one of seat, section and price level, each
// of them one the sale has, and no type pricing the same seats twice. EINVALID otherwise.
func ValidateTicketTypes(types []TicketType, seats []Seat, base []int64) error {
	if len(types) > MaxTicketTypes {
		return Errorf(EINVALID, "A sale may offer at most %d ticket types", MaxTicketTypes)
	}
	have := saleScopes(seats, base)
	names, count := map[string]bool{}, 0
	for _, t := range types {
		if err := validateTypeHead(t, names); err != nil {
			return err
		}
		if count += len(t.Prices); count > MaxTypePrices {
			return Errorf(EINVALID, "The ticket types of a sale may give at most %d prices in all", MaxTypePrices)
		}
		if err := validateTypePrices(t, have); err != nil {
			return err
		}
	}
	return nil
}

// validateTypeHead checks a type's name, its uniqueness among names (lowercased), and
// that it gives a price.
func validateTypeHead(t TicketType, names map[string]bool) error {
	if t.Name == "" {
		return Errorf(EINVALID, "Every ticket type needs a name, such as reduced")
	}
	if err := ValidateTypeName(t.Name); err != nil {
		return err
	}
	key := strings.ToLower(t.Name)
	if names[key] {
		return Errorf(EINVALID, "Ticket type %q is named twice: type names must differ (ignoring case)", t.Name)
	}
	names[key] = true
	if len(t.Prices) == 0 {
		return Errorf(EINVALID, "Ticket type %q needs at least one price", t.Name)
	}
	return nil
}

// saleScopes are the seat keys, sections and price levels a sale has, by scope.
func saleScopes(seats []Seat, base []int64) [4]map[string]bool {
	have := [4]map[string]bool{{"": true}, {}, {}, {}}
	for i, s := range seats {
		have[typeScopeSeat][s.Key()] = true
		have[typeScopeSection][s.Section] = true
		if i < len(base) {
			have[typeScopeLevel][itoa(base[i])] = true
		}
	}
	return have
}

// validateTypePrices checks one type's prices against what the sale has.
func validateTypePrices(t TicketType, have [4]map[string]bool) error {
	seen := map[[2]string]bool{}
	for _, p := range t.Prices {
		if err := validateTypePrice(t.Name, p); err != nil {
			return err
		}
		scope, key := p.scope()
		if !have[scope][key] {
			return errNoSuchScope(t.Name, p)
		}
		k := [2]string{itoa(int64(scope)), key}
		if seen[k] {
			return Errorf(EINVALID, "Ticket type %q prices %s twice", t.Name, p.what())
		}
		seen[k] = true
	}
	return nil
}

// validateTypePrice checks one price: its amount and that it names at most one scope.
func validateTypePrice(name string, p TypePrice) error {
	n := 0
	for _, given := range []bool{p.Seat != nil, p.Section != nil, p.PriceLevel != nil} {
		if given {
			n++
		}
	}
	if n > 1 {
		return Errorf(EINVALID, "A price of ticket type %q names more than one of seat, section and priceLevel: give one, or none for every seat", name)
	}
	if p.Price < 0 || p.Price > MaxPrice {
		return Errorf(EINVALID, "Price of ticket type %q for %s must be between 0 and %d", name, p.what(), int64(MaxPrice))
	}
	if p.Seat != nil {
		return p.Seat.Validate()
	}
	return nil
}

// what words the seats a price applies to, for messages.
func (p TypePrice) what() string {
	switch scope, key := p.scope(); scope {
	case typeScopeSeat:
		return "seat " + p.Seat.String()
	case typeScopeSection:
		if key == "" {
			return "the seats of no section"
		}
		return "section " + clip(key, MaxSectionLen)
	case typeScopeLevel:
		return "price level " + key
	}
	return "every seat"
}

// errNoSuchScope refuses a price for a seat, section or price level the sale lacks.
func errNoSuchScope(name string, p TypePrice) error {
	if p.PriceLevel != nil {
		return Errorf(EINVALID, "Ticket type %q prices price level %d, but no seat of this sale has that base price", name, *p.PriceLevel)
	}
	return Errorf(EINVALID, "Ticket type %q prices %s, which this hall lacks", name, p.what())
}
