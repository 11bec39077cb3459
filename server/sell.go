package server

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// ReserveTicketResponse answers ReserveTicket and ReissueTicket.
type ReserveTicketResponse = api.TicketResponse

// selling serves the selling routes: tickets sold, released and reissued by the issuer,
// answered as JSON, a PDF or a QR image, and sealed tickets sold by the caller.
type selling struct {
	responder
	ledger ledger.Service      // the contract and the clock, to print sold tickets
	sales  issuer.Service      // ReserveTicket(s), ReleaseTicket, ReissueTicket; nil: not served
	sealed issuer.SealedSeller // ReserveSealedTickets; nil: not served
}

// routes adds the selling routes of the services that serve them.
func (h selling) routes(mux *http.ServeMux) {
	c := contractPath
	if h.sales != nil {
		mux.HandleFunc("POST "+c+"/ReserveTicket", h.reserveTicket)
		mux.HandleFunc("POST "+c+"/ReserveTickets", h.reserveTickets)
		mux.HandleFunc("POST "+c+"/ReleaseTicket", h.releaseTicket)
		mux.HandleFunc("POST "+c+"/ReissueTicket", h.reissueTicket)
	}
	if h.sealed != nil {
		mux.HandleFunc("POST "+c+"/ReserveSealedTickets", h.reserveSealedTickets)
	}
}

// sellRequest runs the checks every selling route shares — the key may sell, the address
// is well formed — then decodes the body into req. On failure it has answered and returns
// false. The store checks the key's role again and is the authority on it; this check
// answers 401 or 403 before the body is read (and before a bad body's 400), which the
// store cannot.
func (h selling) sellRequest(w http.ResponseWriter, r *http.Request, req any) bool {
	err := func() error {
		if _, err := ledger.Authorize(r.Context(), ledger.RoleBoxOffice, ledger.RoleOrganizer); err != nil {
			return err
		}
		if err := ledger.ValidateAddress(r.PathValue("address")); err != nil {
			return err
		}
		return decode(r, req)
	}()
	if err != nil {
		h.error(w, err)
		return false
	}
	return true
}

// seatGiven answers 400 and returns false when a body lacks its seat.
func (h selling) seatGiven(w http.ResponseWriter, seat *ledger.Seat) bool {
	if seat == nil {
		h.error(w, required(false, "seat {number, letter}"))
		return false
	}
	return true
}

func (h selling) reserveTicket(w http.ResponseWriter, r *http.Request) {
	var req api.ReserveTicketRequest
	if !h.sellRequest(w, r, &req) || !h.seatGiven(w, req.Seat) {
		return
	}
	h.reserve(w, r, req.Request())
}

func (h selling) reserveTickets(w http.ResponseWriter, r *http.Request) {
	var req api.ReserveTicketsRequest
	if !h.sellRequest(w, r, &req) {
		return
	}
	h.reserve(w, r, req.Request())
}

// reserve sells and answers in the format the client accepts: JSON (default), a PDF of
// the tickets, or the PNG of a single QR code.
func (h selling) reserve(w http.ResponseWriter, r *http.Request, req issuer.Request) {
	format, layout, err := answerFormat(r)
	if err != nil {
		h.error(w, err)
		return
	}
	address := r.PathValue("address")
	req.Layout = layout // the codes are grouped to print well on it, whatever the answer's format
	p, err := h.sales.Reserve(r.Context(), address, req)
	if err != nil {
		h.error(w, err)
		return
	}
	h.writePurchase(w, r, p, format, layout, len(req.Seats) == 1 && strings.HasSuffix(r.URL.Path, "/ReserveTicket"))
}

// writePurchase answers 201 with the purchase in the format: a PDF of its tickets, the
// PNG of its first QR code, or JSON (one ticket's TicketResponse when single).
func (h selling) writePurchase(w http.ResponseWriter, r *http.Request, p issuer.Purchase, format string, layout issuer.Layout, single bool) {
	w.Header().Set("X-Transaction-Hash", p.TransactionHash)
	switch {
	case format == "application/pdf":
		h.writePDF(w, r.Context(), p, layout)
	case format == "image/png":
		h.writePNG(w, p)
	case single:
		writeJSON(w, http.StatusCreated, api.TicketResponseOf(p))
	default:
		writeJSON(w, http.StatusCreated, p)
	}
}

// reissueTicket gives a sold ticket a new secret and keys and answers as ReserveTicket:
// JSON, or the ticket as a PDF or PNG.
func (h selling) reissueTicket(w http.ResponseWriter, r *http.Request) {
	var req api.ReissueTicketRequest
	if !h.sellRequest(w, r, &req) || !h.seatGiven(w, req.Seat) {
		return
	}
	format, layout, err := answerFormat(r)
	if err != nil {
		h.error(w, err)
		return
	}
	p, err := h.sales.Reissue(r.Context(), r.PathValue("address"), req.Reissue())
	if err != nil {
		h.error(w, err)
		return
	}
	h.writePurchase(w, r, p, format, layout, true)
}

// answerFormat reads Accept and ?layout= (the page the codes are meant for, A4 unless
// given) before anything is sold, so an unanswerable request sells nothing.
func answerFormat(r *http.Request) (string, issuer.Layout, error) {
	layout := issuer.LayoutA4
	if l := r.URL.Query().Get("layout"); l != "" {
		var err error
		if layout, err = issuer.ParseLayout(l); err != nil {
			return "", layout, err
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/pdf", "image/png":
			return mt, layout, nil
		case "application/json", "*/*", "application/*":
			return "application/json", layout, nil
		}
	}
	return "application/json", layout, nil
}

func (h selling) writePDF(w http.ResponseWriter, ctx context.Context, p issuer.Purchase, layout issuer.Layout) {
	tickets, err := h.printed(ctx, p)
	var buf bytes.Buffer
	if err == nil {
		err = ticketpdf.WritePDF(&buf, layout, tickets)
	}
	if err != nil {
		h.log.Error("rendering sold tickets", "transaction", p.TransactionHash, "err", err)
		h.error(w, ledger.Errorf(ledger.EINTERNAL, "tickets were sold in transaction %s but rendering the PDF failed", p.TransactionHash))
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tickets-%s.pdf"`, issuer.Reference(p.TransactionHash)))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusCreated)
	w.Write(buf.Bytes())
}

// printed lays out a purchase with the contract's sale and the ledger's clock.
func (h selling) printed(ctx context.Context, p issuer.Purchase) ([]ticketpdf.PrintedTicket, error) {
	c, err := h.ledger.Contract(ctx, p.Contract)
	if err != nil {
		return nil, err
	}
	info, err := h.ledger.Info(ctx)
	if err != nil {
		return nil, err
	}
	return ticketpdf.Printed(p, c, ledger.Clock{Genesis: info.Genesis, Interval: time.Duration(info.BlockInterval)})
}

// pngModulePx is the module width of QR images served: whole pixels, even, big enough
// for a phone screen.
const pngModulePx = 8

func (h selling) writePNG(w http.ResponseWriter, p issuer.Purchase) {
	png, err := ticketpdf.QRPNG(p.QR[0], ticketpdf.DefaultRecovery, pngModulePx)
	if err != nil {
		h.error(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	if len(p.QR) > 1 {
		w.Header().Set("X-QR-Count", strconv.Itoa(len(p.QR)))
	}
	w.WriteHeader(http.StatusCreated)
	w.Write(png)
}

func (h selling) releaseTicket(w http.ResponseWriter, r *http.Request) {
	var req api.ReleaseTicketRequest
	if !h.sellRequest(w, r, &req) || !h.seatGiven(w, req.Seat) {
		return
	}
	rc, err := h.sales.Release(r.Context(), r.PathValue("address"), req.Release())
	if err != nil {
		h.error(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, api.ReleaseTicketResponse{TransactionHash: rc.TransactionHash, Refund: rc.Refund})
}
