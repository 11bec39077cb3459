package server

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// responder writes the API's answers, shared by every area's handler: JSON bodies, and
// errors with the status and code of the API's one table (api.Status). Internal errors
// go to its log.
type responder struct {
	log *slog.Logger
}

// error writes err as a JSON error body with the status of its code.
func (o responder) error(w http.ResponseWriter, err error) {
	o.answer(w, api.Answer(ledger.ErrorCode(err)), err, nil)
}

// answer writes err as the error answer a, whose status and code come from the API's one
// table (api.Status), with the results of a scan when there are some. Internal errors are
// logged and shown only as "internal error".
func (o responder) answer(w http.ResponseWriter, a api.Answer, err error, results []ledger.CheckResult) {
	status, code := api.Status(a)
	switch code {
	case ledger.EINTERNAL:
		o.log.Error("internal error", "err", err)
	case ledger.EUNAUTHORIZED:
		if w.Header().Get("WWW-Authenticate") == "" { // the wallet's routes name their own scheme
			w.Header().Set("WWW-Authenticate", `Bearer realm="ticketbooth"`)
		}
	case ledger.EUNAVAILABLE:
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, api.CheckInErrorResponse{ErrorResponse: api.ErrorResponse{Error: ledger.ErrorMessage(err), Code: code}, Results: results})
}

// reply answers v as JSON with status, or err when there is one.
func (o responder) reply(w http.ResponseWriter, status int, v any, err error) {
	if err != nil {
		o.error(w, err)
		return
	}
	writeJSON(w, status, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}

// decode reads a JSON body into v: EINVALID with the reason for a missing, oversized or
// malformed body. Unknown members are ignored, as Ticketbooth clients send wallet fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return ledger.Errorf(ledger.EINVALID, "Request body must be a JSON object; it is empty")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return ledger.Errorf(ledger.EINVALID, "Request body is not valid JSON: it ends in the middle of a value")
		case errors.As(err, &syntax):
			return ledger.Errorf(ledger.EINVALID, "Request body is not valid JSON (at byte %d)", syntax.Offset)
		case errors.As(err, &typ) && typ.Field == "":
			return ledger.Errorf(ledger.EINVALID, "Request body must be a JSON object, not %s", article(typ.Value))
		case errors.As(err, &typ):
			return ledger.Errorf(ledger.EINVALID, "Request body member %s must be %s, not %s", typ.Field, article(typeName(typ.Type.String())), typ.Value)
		}
		return bodyError(err)
	}
	if dec.More() {
		return ledger.Errorf(ledger.EINVALID, "Request body must hold one JSON value")
	}
	return nil
}

// bodyError says in words why a request body could not be read: it is too large, or the
// client stopped sending it or sent it too slowly.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return ledger.Errorf(ledger.EINVALID, "Request body is larger than %d bytes", tooBig.Limit)
	}
	var le *ledger.Error
	if errors.As(err, &le) {
		return le
	}
	return ledger.Errorf(ledger.EINVALID, "Request body could not be read to its end: the connection was cut or the client sent it too slowly")
}

// article puts "a" or "an" before a noun.
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

func typeName(t string) string {
	switch {
	case strings.Contains(t, "int"):
		return "whole number"
	case strings.Contains(t, "bool"):
		return "true or false"
	case strings.Contains(t, "string"):
		return "string"
	case strings.HasPrefix(t, "[]"):
		return "array"
	}
	return "object"
}
