package pkpass

import "time"

// pass is pass.json, with the keys Wallet reads.
type pass struct {
	FormatVersion      int         `json:"formatVersion"`
	PassTypeIdentifier string      `json:"passTypeIdentifier"`
	TeamIdentifier     string      `json:"teamIdentifier"`
	SerialNumber       string      `json:"serialNumber"`
	OrganizationName   string      `json:"organizationName"`
	Description        string      `json:"description"`
	RelevantDate       string      `json:"relevantDate"`
	Locations          []Location  `json:"locations,omitempty"`
	Barcodes           []barcode   `json:"barcodes"`
	EventTicket        eventTicket `json:"eventTicket"`
}

type barcode struct {
	Format          string `json:"format"`
	Message         string `json:"message"`
	MessageEncoding string `json:"messageEncoding"`
	AltText         string `json:"altText,omitempty"`
}

type eventTicket struct {
	PrimaryFields   []field `json:"primaryFields"`
	SecondaryFields []field `json:"secondaryFields"`
	AuxiliaryFields []field `json:"auxiliaryFields"`
}

type field struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// timeLayout prints the show's time with its zone's abbreviation, e.g. "Sat 14 Mar 2026 19:30 CET".
const timeLayout = "Mon 2 Jan 2006 15:04 MST"

func newPass(iss Issuer, t Ticket) pass {
	local := t.Time.In(t.Zone)
	p := pass{
		FormatVersion:      1,
		PassTypeIdentifier: iss.PassTypeIdentifier,
		TeamIdentifier:     iss.TeamIdentifier,
		SerialNumber:       t.Serial,
		OrganizationName:   iss.OrganizationName,
		Description:        "Ticket for " + t.Show,
		RelevantDate:       local.Format(time.RFC3339),
		Barcodes: []barcode{{
			Format: "PKBarcodeFormatQR", Message: t.QRText, MessageEncoding: "iso-8859-1",
		}},
		EventTicket: eventTicket{
			PrimaryFields:   []field{{Key: "show", Label: "Show", Value: t.Show}},
			SecondaryFields: []field{{Key: "venue", Label: "Venue", Value: t.Venue}, {Key: "seat", Label: "Seat", Value: t.Seat}},
			AuxiliaryFields: []field{{Key: "time", Label: "Time", Value: local.Format(timeLayout)}},
		},
	}
	if t.Location != nil {
		p.Locations = []Location{*t.Location}
	}
	return p
}
