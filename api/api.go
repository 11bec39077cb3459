// Package api holds the JSON bodies and paths of the HTTP API, the one table of its error
// answers and statuses (Status, Code) and the conversions of the selling bodies to and
// from the issuer's requests and purchases, shared by the server and the client so the two
// ends cannot drift apart. Bodies follow Ticketbooth: camelCase
// members, hex byte arrays; members a Ticketbooth client sends for its wallet
// (walletName, accountName, password, gasPrice, sender, outpoints) are not declared here,
// so decoding ignores them and nothing ever logs them.
package api

import (
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// Base is the path prefix of contract routes.
const Base = "/api/v1.0/ticketbooth"

// Paths of the ledger routes.
const (
	LedgerPath   = "/api/v1.0/ledger"
	VerifyPath   = "/api/v1.0/ledger/verify"
	ReceiptsPath = "/api/v1.0/receipts/"
)

// ContractPath returns the path of a contract's route, e.g. ContractPath(a, "Tickets").
func ContractPath(address, route string) string {
	p := Base + "/" + address
	if route != "" {
		p += "/" + route
	}
	return p
}

// CreateContractRequest is the body of POST /api/ticketbooth.
type CreateContractRequest struct {
	Venue    string                   `json:"venue"`
	Seats    []ledger.Seat            `json:"seats"`
	Standing []ledger.StandingSection `json:"standing,omitempty"`
}

// CreateContractResponse answers it.
type CreateContractResponse struct {
	Address         string `json:"address"`
	TransactionHash string `json:"transactionHash"`
}

// FeeBody is the body of a POST of TicketReleaseFee; a GET answers the bare fee (1000).
type FeeBody struct {
	Fee *int64 `json:"fee"`
}

// CountBody is the body of a POST of NoReleaseBlocks; a GET answers the bare count (2).
type CountBody struct {
	Count *int64 `json:"count"`
}

// IdentityBody is the body of a POST of IdentityVerificationPolicy; a GET answers the bare
// policy (true).
type IdentityBody struct {
	RequireIdentityVerification *bool `json:"requireIdentityVerification"`
}

// OwnerBody is the body of TransferContract: the new owner, an organizer key written
// key:ID as the contract's owner is shown.
type OwnerBody struct {
	Owner string `json:"owner"`
}

// BeginSaleRequest is the body of BeginSale. TicketTypes, the sale's named ticket types
// with their own prices (ledger.TicketType), is optional: Ticketbooth's body has none,
// and every ticket then costs its seat's price. They may come in details instead
// (details.ticketTypes, as the sale is read back), but not in both places.
type BeginSaleRequest struct {
	SeatPrices  []ledger.SeatPrice  `json:"seatPrices"`
	Details     *ledger.SaleDetails `json:"details"`
	TicketTypes []ledger.TicketType `json:"ticketTypes,omitempty"`
}

// BeginSaleBody returns the body beginning a sale at the prices with the details d, its
// ticket types at the top of the body.
func BeginSaleBody(prices []ledger.SeatPrice, d ledger.SaleDetails) BeginSaleRequest {
	types := d.TicketTypes
	d.TicketTypes = nil
	return BeginSaleRequest{SeatPrices: prices, Details: &d, TicketTypes: types}
}

// SaleDetails returns the details the body gives (Details not nil), with its ticket
// types: EINVALID when both the body and its details give some.
func (r BeginSaleRequest) SaleDetails() (ledger.SaleDetails, error) {
	d := *r.Details
	if len(r.TicketTypes) == 0 {
		return d, nil
	}
	if len(d.TicketTypes) > 0 {
		return d, ledger.Errorf(ledger.EINVALID, "Give ticketTypes once: at the top of the body or in details, not both")
	}
	d.TicketTypes = r.TicketTypes
	return d, nil
}

// TransactionResponse is the body of every other committed write.
type TransactionResponse struct {
	TransactionHash string `json:"transactionHash"`
}

// ErrorResponse is the body of every error: a sentence for people and the code for
// programs.
type ErrorResponse struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// ReserveTicketRequest is the body of ReserveTicket: one seat.
type ReserveTicketRequest struct {
	Seat         *ledger.Seat `json:"seat"`
	CustomerName string       `json:"customerName"`
	Sender       string       `json:"sender"`
	Amount       *int64       `json:"amount"`
}

// ReserveTicketsRequest is the body of ReserveTickets: several seats for one purchaser.
type ReserveTicketsRequest struct {
	Seats        []ledger.Seat `json:"seats"`
	CustomerName string        `json:"customerName"`
	Sender       string        `json:"sender"`
	Amount       *int64        `json:"amount"`
	TicketsPerQR int           `json:"ticketsPerQR"`
}

// ReleaseTicketRequest is the body of ReleaseTicket: the seat and either the sender that
// bought it or the ticket's secret.
type ReleaseTicketRequest struct {
	Seat   *ledger.Seat `json:"seat"`
	Sender string       `json:"sender"`
	Secret string       `json:"secret"`
}

// TicketResponse answers ReserveTicket as Ticketbooth rc2 did, plus the seat, its price,
// the refunded over-payment, the exact QR text and the holder (the pseudonymous address
// the public ticket list shows the ticket under); and ReissueTicket the same way.
type TicketResponse struct {
	TransactionHash string            `json:"transactionHash"`
	Seat            ledger.Seat       `json:"seat"`
	Price           int64             `json:"price"`
	Refunded        int64             `json:"refunded"`
	Holder          string            `json:"holder"`
	Secret          issuer.SecretKeys `json:"secret"`
	CustomerName    *issuer.NameKeys  `json:"customerName"`
	QR              string            `json:"qr"`
}

// ReissueTicketRequest is the body of ReissueTicket: the seat, the ticket's current secret
// (needed unless the key is the contract's owner or the one that sold the ticket), and
// under the identity policy the purchaser's name.
type ReissueTicketRequest struct {
	Seat         *ledger.Seat `json:"seat"`
	Secret       string       `json:"secret"`
	CustomerName string       `json:"customerName"`
}

// ReleaseTicketResponse answers ReleaseTicket.
type ReleaseTicketResponse struct {
	TransactionHash string `json:"transactionHash"`
	Refund          int64  `json:"refund"`
}

// CheckInRequest is the JSON body of CheckIn and VerifyTicket.
type CheckInRequest struct {
	QR        string `json:"qr"`
	Gate      string `json:"gate"`
	Nonce     string `json:"nonce"`
	Direction string `json:"direction,omitempty"` // "in" (the default) or "out"
}

// CheckInResponse answers CheckIn and VerifyTicket: one result per ticket of the QR.
type CheckInResponse struct {
	Results []ledger.CheckResult `json:"results"`
}

// CheckInUploadRequest is the body of CheckInUpload: the offline admissions of one
// device (its name, for the record), at most scanner.MaxUploadBatch.
type CheckInUploadRequest struct {
	Device string           `json:"device,omitempty"`
	Items  []scanner.Upload `json:"checkIns"`
}

// CheckInUploadResponse answers CheckInUpload: one result per item, in order.
type CheckInUploadResponse struct {
	Results []scanner.UploadResult `json:"results"`
}

// CheckInErrorResponse is a 4xx answer to a scan that could not be read: the error and,
// for QR text that did not parse, the malformed result.
type CheckInErrorResponse struct {
	ErrorResponse
	Results []ledger.CheckResult `json:"results,omitempty"`
}

// VerifyRequest is the body of a verification: anchors, blocks recorded earlier, which
// the chain must still hold unchanged (may be empty).
type VerifyRequest struct {
	Anchors []ledger.BlockRef `json:"anchors,omitempty"`
}
