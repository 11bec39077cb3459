package main

import (
	"encoding/json"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ticketTypeFlags are sale begin's flags for the sale's ticket types.
func ticketTypeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "type", Usage: "a ticket type's price as `SPEC`, repeatable: NAME=PRICE for every seat, " +
			"NAME@level:PRICE=PRICE for the seats of that base price, NAME@section:SECTION=PRICE or NAME@seat:SEAT=PRICE; " +
			"a seat's most specific price wins, and a type is not offered where it has none (e.g. --type reduced=12.00 --type reduced@section:Balcony=9.00)"},
		&cli.StringFlag{Name: "types", Usage: "the sale's ticket types from a JSON `FILE`: [{name, prices:[{seat?, section?, priceLevel?, price}]}], prices in minor units"},
	}
}

// ticketTypes returns the sale's ticket types from --types or the --type flags (not
// both), amounts in the currency.
func ticketTypes(c *cli.Context, currency string) ([]ledger.TicketType, error) {
	specs := c.StringSlice("type")
	if c.IsSet("types") {
		if len(specs) > 0 {
			return nil, usagef("give the ticket types either as --types FILE or as --type flags, not both")
		}
		return readTicketTypes(c.String("types"))
	}
	var types []ledger.TicketType
	for _, spec := range specs {
		name, price, err := parseTypeFlag(spec, currency)
		if err != nil {
			return nil, err
		}
		types = addTypePrice(types, name, price)
	}
	return types, nil
}

// addTypePrice adds the price to the type of that name, appending the type when new.
func addTypePrice(types []ledger.TicketType, name string, p ledger.TypePrice) []ledger.TicketType {
	for i := range types {
		if types[i].Name == name {
			types[i].Prices = append(types[i].Prices, p)
			return types
		}
	}
	return append(types, ledger.TicketType{Name: name, Prices: []ledger.TypePrice{p}})
}

// readTicketTypes reads a JSON file of ticket types.
func readTicketTypes(path string) ([]ledger.TicketType, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("cannot read the ticket types: %v", err)
	}
	var types []ledger.TicketType
	if err := json.Unmarshal(data, &types); err != nil {
		return nil, usagef("%s is not a JSON list of ticket types [{name, prices:[{seat?, section?, priceLevel?, price}]}]: %v", path, err)
	}
	return types, nil
}

// parseTypeFlag reads one --type: NAME=PRICE, or NAME@level:PRICE=PRICE,
// NAME@section:SECTION=PRICE, NAME@seat:SEAT=PRICE.
func parseTypeFlag(spec, currency string) (string, ledger.TypePrice, error) {
	bad := func(why string) error {
		return usagef("--type %q: %s; write NAME=PRICE, NAME@level:PRICE=PRICE, NAME@section:SECTION=PRICE or NAME@seat:SEAT=PRICE",
			clipText(spec, 60), why)
	}
	i := strings.LastIndexByte(spec, '=')
	if i < 0 {
		return "", ledger.TypePrice{}, bad("no price")
	}
	price, err := ledger.ParseAmount(currency, strings.TrimSpace(spec[i+1:]))
	if err != nil {
		return "", ledger.TypePrice{}, err
	}
	name, scope, scoped := strings.Cut(spec[:i], "@")
	name = strings.TrimSpace(name)
	if name == "" {
		return "", ledger.TypePrice{}, bad("no type name")
	}
	if !scoped {
		return name, ledger.PriceForAll(price), nil
	}
	p, err := parseTypeScope(scope, currency, price)
	if err != nil {
		return "", p, bad(err.Error())
	}
	return name, p, nil
}

// parseTypeScope reads the seats a --type price applies to: level:PRICE, section:NAME or
// seat:SEAT.
func parseTypeScope(scope, currency string, price int64) (ledger.TypePrice, error) {
	kind, value, _ := strings.Cut(scope, ":")
	switch strings.TrimSpace(kind) {
	case "level":
		level, err := ledger.ParseAmount(currency, strings.TrimSpace(value))
		if err != nil {
			return ledger.TypePrice{}, usagef("the level is not an amount")
		}
		return ledger.PriceForLevel(level, price), nil
	case "section":
		return ledger.PriceForSection(value, price), nil
	case "seat":
		seat, err := ledger.ParseSeat(value)
		if err != nil {
			return ledger.TypePrice{}, usagef("%s", ledger.ErrorMessage(err))
		}
		return ledger.PriceForSeat(seat, price), nil
	}
	return ledger.TypePrice{}, usagef("%q is not level, section or seat", clipText(kind, 20))
}

// typeNames words the sale's ticket types for the sale begin line: "" for none.
func typeNames(types []ledger.TicketType) string {
	if len(types) == 0 {
		return ""
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return " with ticket types " + strings.Join(names, ", ")
}
