package season

import (
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Product is a product of the command API: a set of commands, each product including
// every command of the ones below it.
type Product int

// The products, in order: each includes the ones before it.
const (
	ProductCustomer Product = iota + 1
	ProductInventory
	ProductHold
	ProductBuy
)

// productNames are the products' names by product (ledger.PartnerProducts, lowest first).
var productNames = append([]string{""}, ledger.PartnerProducts...)

// ParseProduct returns the product named s (as in the path, case-insensitively).
func ParseProduct(s string) (Product, bool) {
	for p := ProductCustomer; p <= ProductBuy; p++ {
		if strings.EqualFold(s, productNames[p]) {
			return p, true
		}
	}
	return 0, false
}

// String is the product's name, as in the path: "sth-hold".
func (p Product) String() string {
	if p < ProductCustomer || p > ProductBuy {
		return "unknown product"
	}
	return productNames[p]
}

// Includes says whether the product includes q (every product includes those below it).
func (p Product) Includes(q Product) bool { return q >= ProductCustomer && q <= p }

// ProductNames lists the products' names, lowest first.
func ProductNames() []string { return productNames[1:] }
