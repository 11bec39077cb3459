package api

import "strings"

// WalletPath is the customer's wallet: GET answers the tickets the customer holds
// (a ledger.Wallet). Its routes are authorized by the header "Authorization: Wallet
// TOKEN" (WalletScheme), the token of the customer's wallet link, never by an API key.
const WalletPath = "/api/v1.0/wallet"

// The wallet's routes below WalletPath: a ticket's code as JSON (WalletCode) or as a PNG
// image, and the holder's revocation of the link (POST, 204).
const (
	WalletRevokePath = WalletPath + "/revoke"
	walletTickets    = WalletPath + "/tickets/"
)

// IsWalletPath reports whether path is WalletPath or below it.
func IsWalletPath(path string) bool {
	return path == WalletPath || strings.HasPrefix(path, WalletPath+"/")
}

// WalletScheme is the authorization scheme of the wallet's routes.
const WalletScheme = "Wallet"

// WalletPage is the path of the customer's wallet page; its link carries the token in
// the fragment (WalletLink), which browsers never send to the server.
const WalletPage = "/wallet"

// WalletCodePath returns the path of a ticket's code in the wallet; png asks for the
// code as a PNG image.
func WalletCodePath(ticket string, png bool) string {
	if png {
		return walletTickets + ticket + "/code.png"
	}
	return walletTickets + ticket + "/code"
}

// WalletLink returns the path and fragment of the wallet page for the token:
// "/wallet#TOKEN". Put the server's public URL before it.
func WalletLink(token string) string { return WalletPage + "#" + token }

// WalletCode is a ticket's code as the wallet answers it: the ticket's id and its QR text.
type WalletCode struct {
	Ticket string `json:"ticket"`
	QR     string `json:"qr"`
}

// WalletLinkBody asks for a new wallet link for a customer (POST
// CustomerPath(id, "wallet-link")); Revoke first revokes all of the customer's links.
// Send instead revokes them, reissues the tickets the customer holds and mails them with
// a new link, answering a ledger.WalletResend (no token: the link goes by mail only).
type WalletLinkBody struct {
	Revoke bool `json:"revoke"`
	Send   bool `json:"send"`
}

// WalletLinkResponse is a new wallet link: its token, shown only this once, the page's
// path with it (WalletLink), and how many older links were revoked.
type WalletLinkResponse struct {
	Customer int64  `json:"customer"`
	Token    string `json:"token"`
	Link     string `json:"link"`
	Revoked  int    `json:"revoked"`
}
