package server

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// DecodePath is the decode-only endpoint the scanner page sends camera frames to.
const DecodePath = "/api/v1.0/decode"

// DecodeResponse answers a decoded frame: the QR text, not yet checked in.
type DecodeResponse struct {
	QR string `json:"qr"`
	// Codes are the texts of every code read, QR first: only that one for a camera
	// frame, all of them for a PDF, a form upload or a picture sent with ?all=true.
	Codes []string `json:"codes"`
}

// GateCounts is what a gate's device may see of the entry: totals of the latest sale,
// the admissions through one gate (named as the ledger spells it) and the contract's
// gates seen so far; the double entries (offline admissions of tickets admitted before
// elsewhere) counted and listed by their gates and times. Never seats or names.
type GateCounts struct {
	Sale         int64    `json:"sale"`
	Sold         int64    `json:"sold"`
	Admitted     int64    `json:"admitted"`
	ToCome       int64    `json:"toCome"`
	Inside       int64    `json:"inside"` // admitted and not out now
	Gate         string   `json:"gate"`
	GateAdmitted int64    `json:"gateAdmitted"`
	Gates        []string `json:"gates"`
	// DoubleEntries counts Doubles, each without its seat.
	DoubleEntries int64                `json:"doubleEntries"`
	Doubles       []ledger.DoubleEntry `json:"doubles"`
}

func (h pages) webAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+DecodePath, h.decodeFrame)
	if h.counts != nil {
		mux.HandleFunc("GET "+api.Base+"/{address}/GateCounts", h.gateCounts)
	}
}

// decodeFrame reads the QR text from one image (a camera frame or an uploaded photo)
// without checking anything in, so the many frames that show no code leave no trace in
// the journal: 200 {qr}, 422 when the image holds no readable code, 400 for a body that
// is not a PNG, JPEG or GIF image. It needs a scanner or organizer key.
func (h pages) decodeFrame(w http.ResponseWriter, r *http.Request) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleScanner, ledger.RoleOrganizer); err != nil {
		h.error(w, err)
		return
	}
	if isWholeUpload(r) {
		h.decodeUpload(w, r)
		return
	}
	img, err := readImage(r)
	if err != nil {
		h.error(w, err)
		return
	}
	text, err := h.decoders.imageText(r.Context(), img)
	if errors.Is(err, qrdecode.ErrNoCode) {
		h.answer(w, api.NoCodeRead, err, nil)
		return
	}
	if err != nil {
		h.error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, DecodeResponse{QR: text, Codes: []string{text}})
}

// readImage reads an image body (image/*) of at most MaxImageBytes.
func readImage(r *http.Request) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(mt, "image/") {
		return nil, ledger.Errorf(ledger.EINVALID, "This file is not a picture the scanner can read (PNG, JPEG or GIF); upload a photo or screenshot of the code")
	}
	return readImageBytes(r.Body, ledger.Errorf(ledger.EINVALID,
		"The picture is larger than %d MiB; upload a smaller photo or a screenshot of the code", MaxImageBytes>>20))
}

// gateCounts answers a gate's device with the entry totals, its gate's admissions and
// the known gates: for a scanner key, or the organizer key of the contract's owner.
func (h pages) gateCounts(w http.ResponseWriter, r *http.Request) {
	rep, err := h.counts.GateCounts(r.Context(), r.PathValue("address"))
	if err != nil {
		h.error(w, err)
		return
	}
	gate, err := ledger.CleanGate(r.URL.Query().Get("gate"))
	if err != nil {
		h.error(w, err)
		return
	}
	counts := GateCounts{Sale: rep.Sale, Sold: rep.Sold, Admitted: rep.Admitted, ToCome: rep.ToCome, Inside: rep.Inside, Gate: gate, Gates: rep.Gates,
		DoubleEntries: rep.DoubleEntries, Doubles: rep.Doubles}
	for _, known := range rep.Gates {
		if ledger.GateKey(known) == ledger.GateKey(gate) {
			counts.Gate = known
		}
	}
	counts.GateAdmitted = rep.PerGate[counts.Gate]
	writeJSON(w, http.StatusOK, counts)
}
