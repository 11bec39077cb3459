package server

import (
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// MaxImageBytes bounds a scanned image upload.
const MaxImageBytes = 16 << 20

// readImageBytes reads an uploaded picture or file to its end: tooLarge when it holds more
// than MaxImageBytes, the reason in words when it cannot be read.
func readImageBytes(body io.Reader, tooLarge error) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxImageBytes+1))
	if err != nil {
		return nil, bodyError(err)
	}
	if len(data) > MaxImageBytes {
		return nil, tooLarge
	}
	return data, nil
}

// errImageTooLarge is the refusal of a scan's image beyond MaxImageBytes.
func errImageTooLarge() error {
	return ledger.Errorf(ledger.EINVALID, "Image is larger than %d bytes", MaxImageBytes)
}

// gate serves the check-in routes: scans as QR text or as uploaded pictures and PDFs,
// whose decoding takes the server's shared decoder slots.
type gate struct {
	responder
	gate     scanner.Service // CheckIn, VerifyTicket, CheckIns; nil: not served
	decoders *decodeSlots
}

// routes adds the check-in routes when a gate serves them.
func (h gate) routes(mux *http.ServeMux) {
	if h.gate == nil {
		return
	}
	c := contractPath
	mux.HandleFunc("POST "+c+"/CheckIn", func(w http.ResponseWriter, r *http.Request) { h.checkIn(w, r, false) })
	mux.HandleFunc("POST "+c+"/VerifyTicket", func(w http.ResponseWriter, r *http.Request) { h.checkIn(w, r, true) })
	mux.HandleFunc("GET "+c+"/CheckIns", h.checkIns)
}

func (h gate) checkIn(w http.ResponseWriter, r *http.Request, verifyOnly bool) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleScanner, ledger.RoleOrganizer); err != nil {
		h.error(w, err)
		return
	}
	if err := ledger.ValidateAddress(r.PathValue("address")); err != nil {
		h.error(w, err)
		return
	}
	scan, err := readScan(r)
	if err != nil {
		h.error(w, err)
		return
	}
	scan.VerifyOnly = verifyOnly
	if len(scan.Image) > 0 {
		h.checkInUpload(w, r, scan)
		return
	}
	results, err := h.gate.CheckIn(r.Context(), r.PathValue("address"), scan)
	if err != nil {
		if ledger.ErrorCode(err) != ledger.EINVALID {
			results = nil // only a scan that could not be read is answered with its result
		}
		h.answer(w, api.Answer(ledger.ErrorCode(err)), err, results)
		return
	}
	writeJSON(w, http.StatusOK, api.CheckInResponse{Results: results})
}

// readScan reads a scan from JSON {qr, gate, nonce, direction?}, a raw image body (gate,
// nonce and direction in the query) or a multipart form with the image in field "image".
func readScan(r *http.Request) (scanner.Scan, error) {
	q := r.URL.Query()
	scan := scanner.Scan{Gate: q.Get("gate"), Nonce: q.Get("nonce"), Direction: q.Get("direction")}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = "application/json"
	}
	switch {
	case mt == "application/json":
		var body api.CheckInRequest
		if err := decode(r, &body); err != nil {
			return scan, err
		}
		if strings.TrimSpace(body.QR) == "" {
			return scan, ledger.Errorf(ledger.EINVALID, "Request body must give qr: the text of the ticket's QR code")
		}
		scan.QR = body.QR
		scan.Gate, scan.Nonce = firstNonEmpty(body.Gate, scan.Gate), firstNonEmpty(body.Nonce, scan.Nonce)
		scan.Direction = firstNonEmpty(body.Direction, scan.Direction)
	case strings.HasPrefix(mt, "image/"), mt == "application/pdf":
		scan.Image, err = readImageBytes(r.Body, errImageTooLarge())
		return scan, err
	case mt == "multipart/form-data":
		return readMultipartScan(r, scan)
	default:
		return scan, ledger.Errorf(ledger.EINVALID, "Content-Type %s is not a scan: send application/json {qr, gate}, image/png, image/jpeg or multipart/form-data with an image field", mt)
	}
	return scan, nil
}

func readMultipartScan(r *http.Request, scan scanner.Scan) (scanner.Scan, error) {
	if err := r.ParseMultipartForm(MaxImageBytes); err != nil {
		return scan, ledger.Errorf(ledger.EINVALID, "The form could not be read: send multipart/form-data of at most %d bytes with the picture in a field named image", MaxImageBytes)
	}
	f, _, err := r.FormFile("image")
	if err != nil {
		return scan, ledger.Errorf(ledger.EINVALID, "The form must carry the picture in a field named image")
	}
	defer f.Close()
	scan.Gate = firstNonEmpty(r.FormValue("gate"), scan.Gate)
	scan.Nonce = firstNonEmpty(r.FormValue("nonce"), scan.Nonce)
	scan.Direction = firstNonEmpty(r.FormValue("direction"), scan.Direction)
	scan.Image, err = readImageBytes(f, errImageTooLarge())
	return scan, err
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (h gate) checkIns(w http.ResponseWriter, r *http.Request) {
	rep, err := h.gate.CheckIns(r.Context(), r.PathValue("address"))
	h.reply(w, http.StatusOK, rep, err)
}
