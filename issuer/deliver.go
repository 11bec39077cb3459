package issuer

import (
	"context"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TicketMailer mails a purchase's tickets to a customer (delivery.Courier): why is the
// mail's queue key, which makes it sent once.
type TicketMailer interface {
	SendTickets(ctx context.Context, customer int64, why string, p Purchase) error
}

// Deliverer moves tickets to customers and mails them: a transfer to a person found or
// created by e-mail address, an offer bought for a customer, a lost ticket reissued to
// its holder. The ledger commits first; the mail is queued after, under a key that makes
// it sent once ("transfer/<transaction>", "resale/<offer>",
// "ticket/<address>/<seat>/reissued/<transaction>"). A mail that cannot be queued does
// not undo the move: the Delivery says so, and carries the ticket.
type Deliverer struct {
	Reseller  Reseller
	Sales     Service          // reissues
	Resale    ledger.Resale    // the holder of a ticket to reissue
	Customers ledger.Customers // receivers and buyers
	Mail      TicketMailer     // nil: nothing is mailed
}

// Receiver names the person a ticket goes to: an existing customer by id, or by e-mail
// address the customer with that address the key may see, or else a new customer with
// the address, name and locale given.
type Receiver struct {
	Customer  int64  `json:"customer,omitempty"`
	Email     string `json:"email,omitempty"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Locale    string `json:"locale,omitempty"`
}

// Delivery is a ticket moved or reissued to a customer: the customer, whether a mail was
// queued for them (and why not, when it was asked for and could not be), the offer (a
// resale only) and the ticket as that customer's purchase (its keys, shown this once).
type Delivery struct {
	Customer  int64               `json:"customer"`
	Mailed    bool                `json:"mailed"`
	MailError string              `json:"mailError,omitempty"`
	Offer     *ledger.ResaleOffer `json:"offer,omitempty"`
	Purchase  Purchase            `json:"purchase"`
}

// Transfer moves the ticket to the receiver (whose name is sealed into it under the
// identity policy; TransferRequest's To and CustomerName are the receiver's) and mails it
// to them when send says so.
func (d Deliverer) Transfer(ctx context.Context, address string, r TransferRequest, to Receiver, send *bool) (Delivery, error) {
	mail, err := d.sendWanted(send)
	if err != nil {
		return Delivery{}, err
	}
	return d.transfer(ctx, ctx, address, r, to, mail)
}

// TransferFromWallet is Transfer for a customer acting through their wallet link: ctx
// carries ledger.WalletActor and r the secret of the ticket's code kept under the link,
// which proves holding it. The ticket is always mailed to the receiver (EINVALID when
// there is no mailer), and the Delivery's purchase is for the server only: the giver
// never gets the new ticket. The receiver is found or recorded, and the mail queued, by
// the server on the holder's behalf, as the administrator (customers and mails are not
// the wallet's to read); the move itself is journaled as the wallet's.
func (d Deliverer) TransferFromWallet(ctx context.Context, address string, r TransferRequest, to Receiver) (Delivery, error) {
	if d.Mail == nil {
		return Delivery{}, ledger.Errorf(ledger.EINVALID, "This server does not mail tickets, so a ticket cannot be given away from the wallet")
	}
	if strings.TrimSpace(to.Email) == "" || to.Customer != 0 {
		return Delivery{}, ledger.Errorf(ledger.EINVALID, "Name the person to give the ticket to by their e-mail address and name")
	}
	office := ledger.WithActor(ctx, ledger.Actor{Admin: true, Name: "wallet"})
	return d.transfer(ctx, office, address, r, to, true)
}

// transfer finds or records the receiver and mails the ticket under office, and moves it
// under ctx.
func (d Deliverer) transfer(ctx, office context.Context, address string, r TransferRequest, to Receiver, mail bool) (Delivery, error) {
	cu, err := d.receiver(office, to)
	if err != nil {
		return Delivery{}, err
	}
	r.To, r.CustomerName = ledger.BookingSender(cu.ID), fullName(cu)
	p, err := d.Reseller.Transfer(ctx, address, r)
	if err != nil {
		return Delivery{}, err
	}
	return d.deliver(office, mail, "transfer/"+p.TransactionHash, Delivery{Customer: cu.ID, Purchase: p}), nil
}

// Buy buys the offer for the customer (their own name under the identity policy unless
// name is given) and mails the ticket to them when send says so.
func (d Deliverer) Buy(ctx context.Context, offer, customer int64, name string, send *bool) (Delivery, error) {
	mail, err := d.sendWanted(send)
	if err != nil {
		return Delivery{}, err
	}
	cu, err := d.customer(ctx, customer, "buyer")
	if err != nil {
		return Delivery{}, err
	}
	if name == "" {
		name = fullName(cu)
	}
	sold, err := d.Reseller.BuyResale(ctx, offer, BuyRequest{Sender: ledger.BookingSender(cu.ID), CustomerName: name})
	if err != nil {
		return Delivery{}, err
	}
	why := "resale/" + strconv.FormatInt(offer, 10)
	return d.deliver(ctx, mail, why, Delivery{Customer: cu.ID, Offer: &sold.Offer, Purchase: sold.Purchase}), nil
}

// ReissueAndSend reissues a lost ticket (new secret: its old QR is refused from then on)
// and mails it to the customer given, or else to the customer whose account holds it.
// The holder's name is sealed afresh under the identity policy (r's, or the customer's).
func (d Deliverer) ReissueAndSend(ctx context.Context, address string, r ReissueRequest, customer int64) (Delivery, error) {
	if d.Mail == nil {
		return Delivery{}, ledger.Errorf(ledger.EINVALID, "This server does not mail tickets: start it with a mail queue")
	}
	if err := r.Seat.Validate(); err != nil {
		return Delivery{}, err
	}
	cu, err := d.holder(ctx, address, r.Seat, customer)
	if err != nil {
		return Delivery{}, err
	}
	if r.CustomerName == "" {
		r.CustomerName = fullName(cu)
	}
	p, err := d.Sales.Reissue(ctx, address, r)
	if err != nil {
		return Delivery{}, err
	}
	why := "ticket/" + address + "/" + r.Seat.String() + "/reissued/" + p.TransactionHash
	return d.deliver(ctx, true, why, Delivery{Customer: cu.ID, Purchase: p}), nil
}

// holder returns the customer given, or the one whose account (ledger.BookingSender)
// holds the ticket.
func (d Deliverer) holder(ctx context.Context, address string, seat ledger.Seat, given int64) (ledger.Customer, error) {
	if given != 0 {
		return d.customer(ctx, given, "holder")
	}
	account, err := d.Resale.TicketHolder(ctx, address, seat)
	if err != nil {
		return ledger.Customer{}, err
	}
	text, ok := strings.CutPrefix(account, "customer:")
	id, err := strconv.ParseInt(text, 10, 64)
	if !ok || err != nil {
		return ledger.Customer{}, ledger.Errorf(ledger.EREFUSED,
			"Ticket for seat %s is not held by a customer the ledger knows: name the customer to send it to", seat)
	}
	return d.customer(ctx, id, "holder")
}

// sendWanted decides whether to mail: as asked, by default when there is a mailer;
// EINVALID when asked to and there is none.
func (d Deliverer) sendWanted(asked *bool) (bool, error) {
	if asked == nil {
		return d.Mail != nil, nil
	}
	if *asked && d.Mail == nil {
		return false, ledger.Errorf(ledger.EINVALID, "This server does not mail tickets: start it with a mail queue, or ask without send")
	}
	return *asked, nil
}

// receiver finds or creates the customer a transfer goes to (see Receiver).
func (d Deliverer) receiver(ctx context.Context, rc Receiver) (ledger.Customer, error) {
	if rc.Customer != 0 {
		return d.customer(ctx, rc.Customer, "receiver")
	}
	if strings.TrimSpace(rc.Email) == "" {
		return ledger.Customer{}, ledger.Errorf(ledger.EINVALID, "Name the receiver: a customer's id, or an e-mail address with their name")
	}
	page, err := d.Customers.FindCustomers(ctx, ledger.CustomerQuery{Email: rc.Email, Limit: 1})
	if err != nil {
		return ledger.Customer{}, err
	}
	if len(page.Customers) > 0 && !page.Customers[0].Erased {
		return page.Customers[0], nil
	}
	return d.Customers.CreateCustomer(ctx, ledger.Customer{Email: rc.Email, FirstName: rc.FirstName, LastName: rc.LastName, Locale: rc.Locale})
}

// customer reads a customer a ticket goes to (role names them in the refusal).
func (d Deliverer) customer(ctx context.Context, id int64, role string) (ledger.Customer, error) {
	if id <= 0 {
		return ledger.Customer{}, ledger.Errorf(ledger.EINVALID, "The %s must be a customer: give their id", role)
	}
	c, err := d.Customers.Customer(ctx, id)
	if err == nil && c.Erased {
		err = ledger.Errorf(ledger.EREFUSED, "Customer %d was erased and cannot receive tickets", id)
	}
	return c, err
}

// deliver mails the delivery's purchase when send says so, and records whether it did.
func (d Deliverer) deliver(ctx context.Context, send bool, why string, out Delivery) Delivery {
	if !send {
		return out
	}
	if err := d.Mail.SendTickets(ctx, out.Customer, why, out.Purchase); err != nil {
		out.MailError = ledger.ErrorMessage(err)
	} else {
		out.Mailed = true
	}
	return out
}

// fullName is a customer's name as a ticket carries it under the identity policy.
func fullName(c ledger.Customer) string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}
