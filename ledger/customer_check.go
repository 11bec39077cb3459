package ledger

import (
	"strings"
	"unicode/utf8"
)

// The longest value each customer field may hold, in characters.
const (
	maxSalutation = 20
	maxName       = 100
	maxCompany    = 200
	maxEmail      = 254 // RFC 5321's longest path
	maxPhone      = 30
	maxLocale     = 35
	maxAddress    = 200
	maxZip        = 20
	maxCity       = 100
)

// customerField is one field of a customer: its name in sentences, its value and its
// longest length.
type customerField struct {
	name  string
	value *string
	max   int
}

// fields lists the customer's text fields, for trimming and checking alike.
func (c *Customer) fields() []customerField {
	a := &c.Address
	return []customerField{
		{"Salutation", &c.Salutation, maxSalutation}, {"First name", &c.FirstName, maxName},
		{"Last name", &c.LastName, maxName}, {"Company", &c.Company, maxCompany},
		{"E-mail address", &c.Email, maxEmail}, {"Phone number", &c.Phone, maxPhone},
		{"Locale", &c.Locale, maxLocale}, {"Country", &a.Country, 2},
		{"Address line 1", &a.Address1, maxAddress}, {"Address line 2", &a.Address2, maxAddress},
		{"Postal code", &a.Zip, maxZip}, {"City", &a.City, maxCity},
	}
}

// NormalizeCustomer trims the customer's fields and writes the country in capitals, then
// checks them (CheckCustomer). It returns the customer as it is to be stored.
func NormalizeCustomer(c Customer) (Customer, error) {
	for _, f := range c.fields() {
		*f.value = strings.TrimSpace(*f.value)
	}
	c.Address.Country = strings.ToUpper(c.Address.Country)
	return c, CheckCustomer(c)
}

// CheckCustomer returns EINVALID with a sentence for the first malformed field: text that
// CheckText refuses, a field too long, an e-mail address, phone number, locale or country
// of the wrong shape, or a customer with neither a last name, a company nor an e-mail
// address to find them again by.
func CheckCustomer(c Customer) error {
	for _, f := range c.fields() {
		if err := CheckText(f.name, *f.value); err != nil {
			return err
		}
		if n := utf8.RuneCountInString(*f.value); n > f.max {
			return Errorf(EINVALID, "%s is %d characters long: at most %d are kept", f.name, n, f.max)
		}
	}
	if c.LastName == "" && c.Company == "" && c.Email == "" {
		return Errorf(EINVALID, "A customer needs a last name, a company or an e-mail address, to be found again")
	}
	return checkShapes(c)
}

// checkShapes checks the fields that have a shape of their own.
func checkShapes(c Customer) error {
	if err := CheckEmail(c.Email); c.Email != "" && err != nil {
		return err
	}
	if strings.Trim(c.Phone, "0123456789+-/(). ") != "" {
		return Errorf(EINVALID, "Phone number %q may hold only digits, spaces and + - / ( ) .", c.Phone)
	}
	if strings.Trim(c.Locale, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
		return Errorf(EINVALID, "Locale %q must be a language tag such as de or de-CH", c.Locale)
	}
	if c.Address.Country != "" && !IsCountryCode(c.Address.Country) {
		return Errorf(EINVALID, "Country %q is not an ISO 3166-1 alpha-2 code such as CH, DE or US", c.Address.Country)
	}
	return nil
}

// CheckEmail returns EINVALID unless address has the shape of an e-mail address: one @
// with a local part of at most 64 characters before it and a domain of labels joined by
// dots after it, no spaces, quotes or angle brackets.
func CheckEmail(address string) error {
	local, domain, ok := strings.Cut(address, "@")
	bad := !ok || local == "" || len(local) > 64 || strings.ContainsAny(address, " \"<>(),;:[]\\") ||
		strings.Contains(domain, "@") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..")
	if bad {
		return Errorf(EINVALID, "E-mail address %q is not of the form name@example.com", clip(address, 80))
	}
	return nil
}

// countryCodes are the codes ISO 3166-1 alpha-2 assigns, 249 of them.
const countryCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA " +
	"RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU " +
	"WF WS YE YT ZA ZM ZW"

// IsCountryCode reports whether code is an ISO 3166-1 alpha-2 code, in capitals.
func IsCountryCode(code string) bool {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return false
	}
	i := strings.Index(countryCodes, code)
	return i >= 0 && i%3 == 0
}

// ApplyCustomerChange returns the customer with the change applied, normalized and checked
// (NormalizeCustomer): EINVALID for a change that changes no field, or a malformed field.
func ApplyCustomerChange(c Customer, ch CustomerChange) (Customer, error) {
	set := func(dst *string, v *string) int {
		if v == nil {
			return 0
		}
		*dst = *v
		return 1
	}
	n := set(&c.Salutation, ch.Salutation) + set(&c.FirstName, ch.FirstName) + set(&c.LastName, ch.LastName) +
		set(&c.Company, ch.Company) + set(&c.Email, ch.Email) + set(&c.Phone, ch.Phone) + set(&c.Locale, ch.Locale)
	if a := ch.Address; a != nil {
		n += set(&c.Address.Country, a.Country) + set(&c.Address.Address1, a.Address1) + set(&c.Address.Address2, a.Address2) +
			set(&c.Address.Zip, a.Zip) + set(&c.Address.City, a.City)
	}
	if n == 0 {
		return Customer{}, Errorf(EINVALID, "The change names no field of the customer to change")
	}
	return NormalizeCustomer(c)
}

// Anonymized returns the customer with every personal field blanked, as EraseCustomer
// leaves it: the ID, the creating key and the times stay.
func (c Customer) Anonymized() Customer {
	return Customer{ID: c.ID, CreatedBy: c.CreatedBy, Created: c.Created, Changed: c.Changed, Erased: true}
}
