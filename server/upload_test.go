package server_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/draw"
	"image/png"
	"mime/multipart"
	"net/http"
	"slices"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// ticketsPDF prints the fixture's first n purchases into one A4 PDF, as the issuer does.
func (f *gateFixture) ticketsPDF(t *testing.T, n int) ([]byte, []string) {
	t.Helper()
	c, err := f.st.Contracts.Contract(f.admin, f.addr)
	if err != nil {
		t.Fatal(err)
	}
	var printed []ticketpdf.PrintedTicket
	var texts []string
	for _, p := range f.tickets[:n] {
		pages, err := ticketpdf.Printed(p, c, f.st.Clock())
		if err != nil {
			t.Fatal(err)
		}
		printed = append(printed, pages...)
		texts = append(texts, p.QR...)
	}
	var b bytes.Buffer
	if err := ticketpdf.WritePDF(&b, issuer.LayoutA4, printed); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), texts
}

// imageForm is a multipart form with the file in the field "image".
func imageForm(t *testing.T, file []byte) (string, []byte) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, err := w.CreateFormFile("image", "tickets.pdf")
	if err != nil {
		t.Fatal(err)
	}
	part.Write(file)
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

// A PDF sent to the decode route answers every code, the first as qr; a PDF without a
// code is a 422 in plain words; nothing is journaled.
func TestDecodePDF(t *testing.T) {
	f := newGateFixture(t)
	pdf, texts := f.ticketsPDF(t, 2)
	before := f.transactions(t)
	formType, form := imageForm(t, pdf)
	for _, tc := range []struct{ name, typ string }{{"body", "application/pdf"}, {"form", formType}} {
		t.Run(tc.name, func(t *testing.T) {
			body := pdf
			if tc.name == "form" {
				body = form
			}
			status, out := f.do(t, http.MethodPost, server.DecodePath, ledger.RoleScanner, tc.typ, body)
			var got server.DecodeResponse
			if status != http.StatusOK || json.Unmarshal(out, &got) != nil || got.QR != texts[0] || !slices.Equal(got.Codes, texts) {
				t.Fatalf("status %d body %s, want 200 with the codes %q", status, out, texts)
			}
		})
	}
	empty := []byte("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R]>> endobj\n3 0 obj <</Type /Page>> endobj\n")
	status, out := f.do(t, http.MethodPost, server.DecodePath, ledger.RoleScanner, "application/pdf", empty)
	var e api.ErrorResponse
	if status != http.StatusUnprocessableEntity || json.Unmarshal(out, &e) != nil ||
		e.Error != "No ticket code was found in this PDF; upload a photo or screenshot of the code" {
		t.Errorf("PDF without a code: status %d body %s", status, out)
	}
	status, out = f.do(t, http.MethodPost, server.DecodePath, ledger.RoleScanner, "application/pdf", []byte("%PDF-1.4 nothing else"))
	if status != http.StatusBadRequest || !bytes.Contains(out, []byte("This PDF cannot be read")) {
		t.Errorf("broken PDF: status %d body %s", status, out)
	}
	if after := f.transactions(t); after != before {
		t.Errorf("decoding wrote to the journal: %d transactions before, %d after", before, after)
	}
}

// CheckIn takes a PDF, as a body or in the form's image field, and checks in every code.
func TestCheckInPDF(t *testing.T) {
	f := newGateFixture(t)
	pdf, _ := f.ticketsPDF(t, 2)
	path := api.Base + "/" + f.addr + "/CheckIn?gate=north&nonce=n1"
	status, out := f.do(t, http.MethodPost, path, ledger.RoleScanner, "application/pdf", pdf)
	var got api.CheckInResponse
	if status != http.StatusOK || json.Unmarshal(out, &got) != nil || len(got.Results) != 2 ||
		got.Results[0].Status != ledger.StatusAdmitted || got.Results[1].Status != ledger.StatusAdmitted ||
		got.Results[0].Seat.String() != "1A" || got.Results[1].Seat.String() != "1B" {
		t.Fatalf("status %d body %s, want 1A and 1B admitted", status, out)
	}
	formType, form := imageForm(t, pdf)
	status, out = f.do(t, http.MethodPost, api.Base+"/"+f.addr+"/CheckIn?gate=north&nonce=n2", ledger.RoleScanner, formType, form)
	if status != http.StatusOK || json.Unmarshal(out, &got) != nil || len(got.Results) != 2 ||
		got.Results[0].Status != ledger.StatusAlreadyCheckedIn {
		t.Fatalf("form: status %d body %s, want both already checked in", status, out)
	}
}

// A photo of two tickets sent to CheckIn checks both in; a photo of one keeps its nonce
// as it is, so that a retry gets the same answer.
func TestCheckInPictureOfSeveralCodes(t *testing.T) {
	f := newGateFixture(t)
	two := sideBySide(t, f.tickets[0].QR[0], f.tickets[1].QR[0])
	status, out := f.do(t, http.MethodPost, api.Base+"/"+f.addr+"/CheckIn?gate=north&nonce=p1", ledger.RoleScanner, "image/png", two)
	var got api.CheckInResponse
	if status != http.StatusOK || json.Unmarshal(out, &got) != nil || len(got.Results) != 2 ||
		got.Results[0].Status != ledger.StatusAdmitted || got.Results[1].Status != ledger.StatusAdmitted {
		t.Fatalf("status %d body %s, want both admitted", status, out)
	}
	one := sideBySide(t, f.tickets[2].QR[0])
	for range 2 {
		status, out = f.do(t, http.MethodPost, api.Base+"/"+f.addr+"/CheckIn?gate=north&nonce=p2", ledger.RoleScanner, "image/png", one)
		if status != http.StatusOK || json.Unmarshal(out, &got) != nil || len(got.Results) != 1 || got.Results[0].Status != ledger.StatusAdmitted {
			t.Fatalf("one code, sent twice with one nonce: status %d body %s, want admitted both times", status, out)
		}
	}
}

// sideBySide is a PNG of the texts' QR codes in a row, four pixels a module.
func sideBySide(t *testing.T, texts ...string) []byte {
	t.Helper()
	var codes []image.Image
	width, height := 0, 0
	for _, text := range texts {
		data, err := ticketpdf.QRPNG(text, ticketpdf.DefaultRecovery, 4)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, img)
		width, height = width+img.Bounds().Dx(), max(height, img.Bounds().Dy())
	}
	out := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(out, out.Rect, image.White, image.Point{}, draw.Src)
	x := 0
	for _, img := range codes {
		draw.Draw(out, img.Bounds().Add(image.Pt(x, 0)), img, img.Bounds().Min, draw.Src)
		x += img.Bounds().Dx()
	}
	var b bytes.Buffer
	png.Encode(&b, out)
	return b.Bytes()
}
