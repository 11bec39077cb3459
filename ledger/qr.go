package ledger

// QRTicket is one ticket as a customer holds it, inside the QR code: the seat, the
// plaintext secret and the hex keys and IVs that decrypt the ledger's ciphertexts. A QR
// code carries a JSON array of these, one per ticket of a purchase. Member order and names
// follow the Ticketbooth format; the optional members are omitted when empty.
type QRTicket struct {
	Seat      Seat   `json:"seat"`
	Secret    string `json:"secret"`
	SecretKey string `json:"secretKey,omitempty"`
	SecretIV  string `json:"secretIV,omitempty"`
	NameKey   string `json:"nameKey,omitempty"`
	NameIV    string `json:"nameIV,omitempty"`
}
