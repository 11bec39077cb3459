package ledger

import "strings"

// Ticket formats (seed 002): how a booking's tickets are delivered. PDF tickets (and
// pkpass) come as attachments of the confirmation; SECURE tickets live in the wallet app
// (their delivery arrives with the next issue). A booking has one format, set when it is
// opened, and its tickets carry it from their hold on; every other ticket is PDF.
const (
	FormatPDF    = "PDF"
	FormatSecure = "SECURE"
)

// TicketFormats are the ticket formats, the default first.
var TicketFormats = []string{FormatPDF, FormatSecure}

// ParseTicketFormat returns the format text names, in any case: "" is FormatPDF;
// EINVALID in words for anything else.
func ParseTicketFormat(text string) (string, error) {
	if text == "" {
		return FormatPDF, nil
	}
	for _, f := range TicketFormats {
		if strings.EqualFold(text, f) {
			return f, nil
		}
	}
	if len(text) > 20 {
		text = text[:20] + "..."
	}
	return "", Errorf(EINVALID, "Ticket format %q is not one of PDF or SECURE", text)
}

// BookingRequest opens a booking (Bookings.OpenBooking): the customer's id, the contract
// whose open sale the booking is on, and its tickets' format ("" is PDF).
type BookingRequest struct {
	Customer int64  `json:"customer"`
	Contract string `json:"contract"`
	Format   string `json:"format,omitempty"`
}
