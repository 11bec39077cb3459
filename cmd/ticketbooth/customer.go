package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func customerCommand() *cli.Command {
	return &cli.Command{
		Name:  "customer",
		Usage: "keep the shop's customers: add, show, find, export or erase one's data, link to their wallet (box-office and organizer keys)",
		Subcommands: []*cli.Command{
			{
				Name:  "add",
				Usage: "record a customer and print their id",
				UsageText: "ticketbooth customer add --first-name Tom --last-name Tomson --email tom@tomsons.com \\\n" +
					"     --country CH --address1 \"Testweg 10\" --zip 3000 --city Bern",
				Flags:  append(connFlags(), append(customerFieldFlags(), quietFlag())...),
				Action: customerAction(customerAdd),
			},
			{
				Name:   "show",
				Usage:  "show a customer",
				Flags:  append(connFlags(), customerIDFlag()),
				Action: customerAction(customerShow),
			},
			{
				Name:      "find",
				Usage:     "find customers by e-mail address (exactly) or by a part of their name or company",
				UsageText: "ticketbooth customer find --email tom@tomsons.com\n   ticketbooth customer find --name tomson",
				Flags: append(connFlags(),
					&cli.StringFlag{Name: "email", Usage: "the customer's e-mail `ADDRESS`, in any case"},
					&cli.StringFlag{Name: "name", Usage: "a `PART` of the first or last name or the company, in any case"},
					&cli.IntFlag{Name: "limit", Usage: fmt.Sprintf("at most `N` customers (default %d, at most %d)",
						ledger.DefaultCustomerLimit, ledger.MaxCustomerLimit)},
					&cli.Int64Flag{Name: "after", Usage: "the next page: the customers after the one of this `ID` (as the last page ended)"},
				),
				Action: customerAction(customerFind),
			},
			{
				Name:   "export",
				Usage:  "print, as JSON, everything the ledger holds about a customer (for their data-protection request)",
				Flags:  append(connFlags(), customerIDFlag()),
				Action: customerAction(customerExport),
			},
			{
				Name: "erase",
				Usage: "erase a customer's personal data for good: the record keeps only its id and times, " +
					"bookings and tickets only the id",
				UsageText: "ticketbooth customer erase --id ID --yes",
				Flags: append(connFlags(), customerIDFlag(),
					&cli.BoolFlag{Name: "yes", Usage: "confirm the erasure, which cannot be undone (required)"}),
				Action: customerAction(customerErase),
			},
			walletLinkCommand(),
		},
	}
}

// customerAction opens the ledger for a customer command and runs fn with its customers.
func customerAction(fn func(c *cli.Context, s *session) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		s, err := open(c)
		if err != nil {
			return err
		}
		defer s.close()
		return fn(c, s)
	}
}

func customerIDFlag() cli.Flag {
	return &cli.Int64Flag{Name: "id", Usage: "the customer's `ID` (as 'customer add' or 'customer find' printed it)", Required: true}
}

// customerFields are the flags of a customer's fields and the field each sets.
var customerFields = []struct {
	flag, usage string
	field       func(*ledger.Customer) *string
}{
	{"salutation", "the customer's `SALUTATION`: m, f, Ms, Dr ...", func(c *ledger.Customer) *string { return &c.Salutation }},
	{"first-name", "the customer's first `NAME`", func(c *ledger.Customer) *string { return &c.FirstName }},
	{"last-name", "the customer's last `NAME`", func(c *ledger.Customer) *string { return &c.LastName }},
	{"company", "the customer's `COMPANY`", func(c *ledger.Customer) *string { return &c.Company }},
	{"email", "the customer's e-mail `ADDRESS`", func(c *ledger.Customer) *string { return &c.Email }},
	{"phone", "the customer's phone `NUMBER`", func(c *ledger.Customer) *string { return &c.Phone }},
	{"locale", "the customer's language `TAG`, such as de-CH", func(c *ledger.Customer) *string { return &c.Locale }},
	{"country", "the customer's `COUNTRY` as ISO 3166-1 alpha-2: CH, DE, US ...", func(c *ledger.Customer) *string { return &c.Address.Country }},
	{"address1", "the first `LINE` of the customer's address", func(c *ledger.Customer) *string { return &c.Address.Address1 }},
	{"address2", "the second `LINE` of the customer's address", func(c *ledger.Customer) *string { return &c.Address.Address2 }},
	{"zip", "the customer's postal `CODE`", func(c *ledger.Customer) *string { return &c.Address.Zip }},
	{"city", "the customer's `CITY`", func(c *ledger.Customer) *string { return &c.Address.City }},
}

func customerFieldFlags() []cli.Flag {
	flags := make([]cli.Flag, len(customerFields))
	for i, f := range customerFields {
		flags[i] = &cli.StringFlag{Name: f.flag, Usage: f.usage}
	}
	return flags
}

func customerAdd(c *cli.Context, s *session) error {
	var cu ledger.Customer
	for _, f := range customerFields {
		*f.field(&cu) = c.String(f.flag)
	}
	cu, err := s.customers.CreateCustomer(s.ctx, cu)
	if err != nil {
		return err
	}
	if c.Bool("quiet") {
		fmt.Fprintln(s.out, cu.ID)
		return nil
	}
	return s.print(cu, func(w io.Writer) {
		fmt.Fprintf(w, "added customer %d: %s\n", cu.ID, customerName(cu))
	})
}

func customerShow(c *cli.Context, s *session) error {
	cu, err := s.customers.Customer(s.ctx, c.Int64("id"))
	if err != nil {
		return err
	}
	return s.print(cu, func(w io.Writer) { printCustomer(w, cu) })
}

// printCustomer writes a customer's record, one field a line, the empty ones left out.
func printCustomer(w io.Writer, cu ledger.Customer) {
	a := cu.Address
	place := strings.TrimSpace(a.Zip + " " + a.City)
	lines := [][2]string{{"customer", fmt.Sprint(cu.ID)}, {"name", customerName(cu)}, {"company", cu.Company},
		{"e-mail", cu.Email}, {"phone", cu.Phone}, {"locale", cu.Locale},
		{"address", joinNonEmpty(", ", a.Address1, a.Address2, place, a.Country)},
		{"created", cu.Created.Format("2006-01-02 15:04 MST") + " by " + cu.CreatedBy},
		{"changed", cu.Changed.Format("2006-01-02 15:04 MST")}}
	if cu.Erased {
		lines[1][1] = "(erased)"
	}
	for _, l := range lines {
		if l[1] != "" {
			fmt.Fprintf(w, "%-9s %s\n", l[0], l[1])
		}
	}
}

// customerName is the customer's salutation and names, or their company or e-mail address.
func customerName(cu ledger.Customer) string {
	if n := joinNonEmpty(" ", cu.Salutation, cu.FirstName, cu.LastName); n != "" {
		return n
	}
	return joinNonEmpty(" ", cu.Company, cu.Email)
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

func customerFind(c *cli.Context, s *session) error {
	if c.IsSet("email") == c.IsSet("name") {
		return usagef("give exactly one of --email and --name")
	}
	found, err := s.customers.FindCustomers(s.ctx, ledger.CustomerQuery{Email: c.String("email"), Name: c.String("name"),
		Limit: c.Int("limit"), After: c.Int64("after")})
	if err != nil {
		return err
	}
	return s.print(found, func(w io.Writer) {
		if len(found.Customers) == 0 {
			fmt.Fprintln(w, "no customer found")
		}
		for _, cu := range found.Customers {
			fmt.Fprintf(w, "%-16d %s\t%s\t%s\n", cu.ID, customerName(cu), cu.Email, cu.Address.City)
		}
		if found.More {
			fmt.Fprintf(w, "%d found in all; more with --after %d\n", found.Total, found.Customers[len(found.Customers)-1].ID)
		}
	})
}

func customerExport(c *cli.Context, s *session) error {
	ex, err := s.customers.ExportCustomer(s.ctx, c.Int64("id"))
	if err != nil {
		return err
	}
	s.json = true // the export is JSON, for the customer to read and keep
	return s.print(ex, nil)
}

func customerErase(c *cli.Context, s *session) error {
	if !c.Bool("yes") {
		return usagef("erasing customer %d cannot be undone: add --yes to confirm", c.Int64("id"))
	}
	cu, err := s.customers.EraseCustomer(s.ctx, c.Int64("id"))
	if err != nil {
		return err
	}
	return s.print(cu, func(w io.Writer) {
		fmt.Fprintf(w, "erased customer %d: only the id and times remain\n", cu.ID)
	})
}
