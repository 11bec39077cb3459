package ledger

import (
	"strconv"
	"strings"
)

// Amounts are kept in minor units of the sale's currency: cents for EUR, yen for JPY,
// fils for KWD. These read and write them as people do ("EUR 12.50").

// minorDigits lists the ISO 4217 currencies whose minor unit is not a hundredth.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// MinorDigits returns how many decimals the currency's minor unit has: 2 unless ISO 4217
// says otherwise; an empty currency is DefaultCurrency.
func MinorDigits(currency string) int {
	if d, ok := minorDigits[strings.ToUpper(currencyCode(currency))]; ok {
		return d
	}
	return 2
}

// currencyCode is the currency as written, DefaultCurrency when empty.
func currencyCode(currency string) string {
	if c := strings.TrimSpace(currency); c != "" {
		return c
	}
	return DefaultCurrency
}

// CurrencyOf returns the currency of a sale's details, DefaultCurrency when it names none.
func CurrencyOf(d SaleDetails) string { return currencyCode(d.Currency) }

// FormatAmount writes minor units with the currency's decimals after its code:
// "EUR 12.50", "JPY 1200", "KWD 1.250".
func FormatAmount(currency string, minor int64) string {
	digits := MinorDigits(currency)
	sign, abs := "", uint64(minor)
	if minor < 0 {
		sign, abs = "-", uint64(-minor) // -MinInt64 wraps to itself, whose uint64 is right
	}
	text := strconv.FormatUint(abs, 10)
	if digits > 0 {
		text = strings.Repeat("0", max(0, digits+1-len(text))) + text
		text = text[:len(text)-digits] + "." + text[len(text)-digits:]
	}
	return currencyCode(currency) + " " + sign + text
}

// ParseAmount reads an amount written in the currency's major units ("12.50", "12",
// "EUR 12.50") as minor units: EINVALID for anything else, more decimals than the
// currency has, another currency's code, or more than MaxPrice.
func ParseAmount(currency, text string) (int64, error) {
	currency = currencyCode(currency)
	digits := MinorDigits(currency)
	s := strings.TrimSpace(text)
	if code, rest, ok := strings.Cut(s, " "); ok {
		if !strings.EqualFold(code, currency) {
			return 0, Errorf(EINVALID, "Invalid amount %q: the sale is in %s", clip(text, 40), currency)
		}
		s = strings.TrimSpace(rest)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > digits || strings.Trim(whole+frac, "0123456789") != "" || len(whole) > 13 {
		return 0, Errorf(EINVALID, "Invalid amount %q: write it in %s with at most %d decimals, e.g. %s",
			clip(text, 40), currency, digits, strings.TrimPrefix(FormatAmount(currency, 1250*pow10(digits)/100), currency+" "))
	}
	v, _ := strconv.ParseInt(whole+frac+strings.Repeat("0", digits-len(frac)), 10, 64)
	if v > MaxPrice {
		return 0, Errorf(EINVALID, "Invalid amount %q: at most %s", clip(text, 40), FormatAmount(currency, MaxPrice))
	}
	return v, nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}
