package api

import (
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// This file converts the selling bodies to and from what the issuer and the ledger take
// and give, one function each way, for the server and the client alike.

// Request returns the purchase of the body's one seat; the seat must be given.
func (b ReserveTicketRequest) Request() issuer.Request {
	return issuer.Request{Seats: []ledger.Seat{*b.Seat}, CustomerName: b.CustomerName, Sender: b.Sender, Amount: b.Amount}
}

// ReserveTicketsBody returns the body of ReserveTickets asking for r; its layout goes in
// the query (?layout=), not the body.
func ReserveTicketsBody(r issuer.Request) ReserveTicketsRequest {
	return ReserveTicketsRequest{Seats: r.Seats, CustomerName: r.CustomerName, Sender: r.Sender, Amount: r.Amount,
		TicketsPerQR: r.TicketsPerQR}
}

// Request returns the purchase the body asks for, on the A4 layout.
func (b ReserveTicketsRequest) Request() issuer.Request {
	return issuer.Request{Seats: b.Seats, CustomerName: b.CustomerName, Sender: b.Sender, Amount: b.Amount,
		TicketsPerQR: b.TicketsPerQR}
}

// TicketResponseOf answers a purchase with its first ticket, as ReserveTicket and
// ReissueTicket do.
func TicketResponseOf(p issuer.Purchase) TicketResponse {
	t := p.Tickets[0]
	return TicketResponse{TransactionHash: p.TransactionHash, Seat: t.Seat, Price: t.Price, Refunded: p.Refunded,
		Holder: p.Holder, Secret: t.Secret, CustomerName: t.CustomerName, QR: p.QR[0]}
}

// Purchase returns the answer as a purchase of its one ticket on the contract, committed
// at height (which the answer does not carry). The purchaser's name is not in the answer:
// CustomerName stays empty.
func (t TicketResponse) Purchase(contract string, height int64) issuer.Purchase {
	return issuer.Purchase{Contract: contract, TransactionHash: t.TransactionHash, Height: height, Holder: t.Holder,
		Refunded: t.Refunded, QR: []string{t.QR}, TicketsPerQR: 1,
		Tickets: []issuer.IssuedTicket{{Seat: t.Seat, Price: t.Price, Secret: t.Secret, CustomerName: t.CustomerName}}}
}

// ReleaseBody returns the body of ReleaseTicket asking for r.
func ReleaseBody(r ledger.ReleaseRequest) ReleaseTicketRequest {
	seat := r.Seat
	return ReleaseTicketRequest{Seat: &seat, Sender: r.Sender, Secret: r.Secret}
}

// Release returns the release the body asks for; the seat must be given.
func (b ReleaseTicketRequest) Release() ledger.ReleaseRequest {
	return ledger.ReleaseRequest{Seat: *b.Seat, Sender: b.Sender, Secret: b.Secret}
}

// ReissueBody returns the body of ReissueTicket asking for r.
func ReissueBody(r issuer.ReissueRequest) ReissueTicketRequest {
	seat := r.Seat
	return ReissueTicketRequest{Seat: &seat, Secret: r.Secret, CustomerName: r.CustomerName}
}

// Reissue returns the reissue the body asks for; the seat must be given.
func (b ReissueTicketRequest) Reissue() issuer.ReissueRequest {
	return issuer.ReissueRequest{Seat: *b.Seat, Secret: b.Secret, CustomerName: b.CustomerName}
}
