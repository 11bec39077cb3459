package server

import (
	"cmp"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/qrdecode/pdfscan"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// This file reads the codes of whole uploads, a PDF or a photo holding several tickets,
// for the decode route and CheckIn; camera frames sent to the decode route keep the
// one-code path of decodeFrame.

// uploadTimeout bounds the reading of one uploaded PDF.
const uploadTimeout = 20 * time.Second

// isWholeUpload reports whether a decode request is an upload to read every code of: a
// PDF, a multipart form, or a picture sent with ?all=true.
func isWholeUpload(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/pdf" || mt == "multipart/form-data" || r.URL.Query().Get("all") == "true"
}

// decodeUpload answers a whole upload with every code in it: 200 {qr, codes}, qr the
// first; 422 when it holds none or takes too long to read; 400 for what is neither a
// picture nor a PDF.
func (h pages) decodeUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxImageBytes+64<<10)
	data, err := readUpload(r)
	if err != nil {
		h.error(w, err)
		return
	}
	codes, err := h.decoders.uploadCodes(r.Context(), data)
	if errors.Is(err, qrdecode.ErrNoCode) || errors.Is(err, context.DeadlineExceeded) {
		h.answer(w, api.NoCodeRead, err, nil)
		return
	}
	if err != nil {
		h.error(w, err)
		return
	}
	texts := make([]string, len(codes))
	for i, c := range codes {
		texts[i] = c.Text
	}
	writeJSON(w, http.StatusOK, DecodeResponse{QR: texts[0], Codes: texts})
}

// uploadCodes reads every code of a picture or a PDF within uploadTimeout, with the
// reasons in words, holding one of the server's decoder slots (see imageText).
func (d *decodeSlots) uploadCodes(ctx context.Context, data []byte) ([]pdfscan.Code, error) {
	release, err := d.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, uploadTimeout)
	defer cancel()
	codes, err := gateread.File(ctx, data, pdfscan.Limits{})
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, ledger.Errorf(ledger.EINVALID, "This file took too long to read; upload a photo or screenshot of the code")
	}
	return codes, err
}

// readUpload reads a raw picture or PDF body, or the field "image" of a multipart form,
// of at most MaxImageBytes.
func readUpload(r *http.Request) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := io.Reader(r.Body)
	if mt == "multipart/form-data" {
		f, _, err := r.FormFile("image")
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errFileTooLarge()
		}
		if err != nil {
			return nil, ledger.Errorf(ledger.EINVALID, "The form must carry the picture or PDF in a field named image")
		}
		defer f.Close()
		body = f
	}
	return readImageBytes(body, errFileTooLarge())
}

// errFileTooLarge is the refusal of an upload beyond MaxImageBytes.
func errFileTooLarge() error {
	return ledger.Errorf(ledger.EINVALID, "The file is larger than %d MiB; upload a photo or screenshot of the code", MaxImageBytes>>20)
}

// checkInUpload checks in every code of an uploaded picture or PDF, one CheckIn each
// (when there are several, the nonce is suffixed with the code's number so that each
// keeps its own retry), and answers all their results together. An upload without a code
// is answered 400 and journals nothing; one whose only code is not a ticket answers 400
// with its malformed result, as QR text does.
func (h gate) checkInUpload(w http.ResponseWriter, r *http.Request, scan scanner.Scan) {
	codes, err := h.decoders.uploadCodes(r.Context(), scan.Image)
	if err != nil {
		h.error(w, err)
		return
	}
	var all []ledger.CheckResult
	var invalid error
	for i, c := range codes {
		one := scanner.Scan{QR: c.Text, Gate: scan.Gate, Nonce: scan.Nonce, VerifyOnly: scan.VerifyOnly, Direction: scan.Direction}
		if one.Nonce != "" && len(codes) > 1 {
			one.Nonce += "/" + strconv.Itoa(i+1)
		}
		results, err := h.gate.CheckIn(r.Context(), r.PathValue("address"), one)
		if err != nil && (ledger.ErrorCode(err) != ledger.EINVALID || len(results) == 0) {
			h.error(w, err)
			return
		}
		invalid = cmp.Or(invalid, err)
		all = append(all, results...)
	}
	if invalid != nil && len(codes) == 1 {
		h.answer(w, ledger.EINVALID, invalid, all)
		return
	}
	writeJSON(w, http.StatusOK, api.CheckInResponse{Results: all})
}
