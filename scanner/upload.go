package scanner

import (
	"context"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// MaxUploadBatch bounds the admissions of one upload.
const MaxUploadBatch = 500

// Directions of a scan: in (the default) and out.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// Upload is one admission a gate's device made offline, from its copy, uploaded when the
// server answers again: the QR text it scanned (its keys are checked again), the gate,
// the nonce made when it was scanned (a second upload is the same answer), when it
// happened on the device, and its direction ("" or "in").
type Upload struct {
	QR        string    `json:"qr"`
	Gate      string    `json:"gate"`
	Nonce     string    `json:"nonce"`
	At        time.Time `json:"at"`
	Direction string    `json:"direction,omitempty"`
}

// UploadResult answers one Upload: its nonce, and the results of its tickets (admitted,
// double_entry, or the status an online scan would get) or, for an upload that could not
// be read, the reason in Error.
type UploadResult struct {
	Nonce   string               `json:"nonce"`
	Results []ledger.CheckResult `json:"results"`
	Error   string               `json:"error,omitempty"`
}

// Uploader takes the offline admissions of a gate's device: the Gate in-process, the
// HTTP client remotely.
type Uploader interface {
	// CheckInUpload checks each upload in as an offline admission of the device, and
	// answers each. It fails as a whole only for what no upload could pass (a batch too
	// large, a contract not found, a key that may not check in); items checked in before
	// such an error stay checked in, and uploading them again gives the same answers.
	CheckInUpload(ctx context.Context, address, device string, uploads []Upload) ([]UploadResult, error)
}

var _ Uploader = (*Gate)(nil)

// CheckInUpload checks each upload in as an offline admission (see Uploader).
func (g *Gate) CheckInUpload(ctx context.Context, address, device string, uploads []Upload) ([]UploadResult, error) {
	if len(uploads) > MaxUploadBatch {
		return nil, ledger.Errorf(ledger.EINVALID, "An upload may carry at most %d admissions; send the rest in another", MaxUploadBatch)
	}
	out := make([]UploadResult, len(uploads))
	for i, u := range uploads {
		out[i] = UploadResult{Nonce: u.Nonce, Results: []ledger.CheckResult{}}
		results, err := g.upload(ctx, address, device, u)
		if err != nil && ledger.ErrorCode(err) != ledger.EINVALID {
			return nil, err
		}
		if err != nil {
			out[i].Error = ledger.ErrorMessage(err)
		}
		if results != nil {
			out[i].Results = results
		}
	}
	return out, nil
}

func (g *Gate) upload(ctx context.Context, address, device string, u Upload) ([]ledger.CheckResult, error) {
	switch {
	case u.Nonce == "":
		return nil, ledger.Errorf(ledger.EINVALID, "Each upload must carry the nonce made when it was scanned")
	case u.Direction != "" && u.Direction != DirectionIn:
		return nil, ledger.Errorf(ledger.EINVALID, "Direction must be %q: exits are not uploaded yet", DirectionIn)
	}
	return g.CheckIn(ctx, address, Scan{QR: u.QR, Gate: u.Gate, Nonce: u.Nonce, Offline: true, At: u.At, Device: device})
}
