package server

import (
	"encoding/hex"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// walletDevices serve the phones of SECURE tickets under the wallet's routes
// (Services.Devices): the page reads its ticket's phone and registers its own key,
// authorized by the wallet link's token as the wallet's other routes are, and rate
// limited with them.
type walletDevices struct {
	wallets
	devices ledger.Devices
}

func (h walletDevices) routes(mux *http.ServeMux) {
	if h.devices == nil || h.wallets.wallets == nil {
		return
	}
	path := api.WalletDevicePath("{id}")
	mux.HandleFunc("GET "+path, h.limit.wrap(h.responder, h.device))
	mux.HandleFunc("POST "+path, h.limit.wrap(h.responder, h.register))
}

// ticket returns the request's token and the path's ticket, or answers the refusal and
// returns "".
func (h walletDevices) ticket(w http.ResponseWriter, r *http.Request) (string, ledger.TicketID) {
	token := h.authorized(w, r)
	if token == "" {
		return "", ledger.TicketID{}
	}
	id, err := ledger.ParseTicketID(r.PathValue("id"))
	if err != nil {
		h.fail(w, err)
		return "", ledger.TicketID{}
	}
	return token, id
}

// device answers the ticket's phone (api.WalletDevice).
func (h walletDevices) device(w http.ResponseWriter, r *http.Request) {
	token, id := h.ticket(w, r)
	if token == "" {
		return
	}
	st, err := h.devices.Device(r.Context(), token, id)
	if err != nil {
		h.fail(w, err)
		return
	}
	out := api.WalletDevice{Ticket: id.String(), CodePrefix: st.CodePrefix, Device: st.Device, Now: st.Now.UnixMilli()}
	if st.PublicKey != nil {
		out.PublicKey = hex.EncodeToString(st.PublicKey)
	}
	writeJSON(w, http.StatusOK, out)
}

// register registers the body's public key for the ticket: 201 api.WalletDevice.
func (h walletDevices) register(w http.ResponseWriter, r *http.Request) {
	token, id := h.ticket(w, r)
	if token == "" {
		return
	}
	var body api.WalletDeviceBody
	if err := decode(r, &body); err != nil {
		h.fail(w, err)
		return
	}
	key, err := hex.DecodeString(body.PublicKey)
	if err != nil || len(key) == 0 {
		h.fail(w, ledger.Errorf(ledger.EINVALID, "publicKey must be the phone's public key in hex, as WebCrypto exports it (spki)"))
		return
	}
	rc, err := h.devices.RegisterDevice(r.Context(), ledger.DeviceRequest{Token: token, Ticket: id, PublicKey: key})
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, api.WalletDevice{Ticket: id.String(), CodePrefix: rc.CodePrefix, PublicKey: body.PublicKey,
		Device: rc.Device, Replaced: rc.Replaced, Now: rc.Time.UnixMilli(), TransactionHash: rc.TransactionHash})
}
