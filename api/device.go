package api

// WalletDevicePath returns the path of a ticket's phone in the wallet: GET answers it
// (WalletDevice), POST registers this phone's public key (WalletDeviceBody; 201
// WalletDevice), replacing the key registered before. For SECURE tickets, whose code
// rotates (ledger/rotating.go).
func WalletDevicePath(ticket string) string { return walletTickets + ticket + "/device" }

// WalletDeviceBody registers a phone for a SECURE ticket: its ECDSA P-256 public key as
// WebCrypto exports it (spki, or the raw point), in hex.
type WalletDeviceBody struct {
	PublicKey string `json:"publicKey"`
}

// WalletDevice is a ticket's phone as the wallet sees it: the ticket's id, the start of
// its rotating codes (to which the phone adds the time step and its signature), the
// registered public key in hex (SPKI; absent when none is, or the one registered was
// retired by a reissue or transfer) and its device number (1 the first phone), whether
// a registration replaced an older key, and the ledger's clock in Unix milliseconds,
// which the page counts its steps by.
type WalletDevice struct {
	Ticket          string `json:"ticket"`
	CodePrefix      string `json:"codePrefix"`
	PublicKey       string `json:"publicKey,omitempty"`
	Device          int64  `json:"device"`
	Replaced        bool   `json:"replaced,omitempty"`
	Now             int64  `json:"now"`
	TransactionHash string `json:"transactionHash,omitempty"`
}
