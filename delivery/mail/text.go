package mail

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// words are the sentences of the e-mail in one language.
type words struct {
	Subject  string // printf format with the show title
	Greeting string
	Body     string
	Attached string // the PDF (and passes) are attached
	InWallet string // nothing is attached: the tickets are in the wallet only (SECURE)
	Wallet   string
	Closing  string
}

// languages holds the e-mail's words by language; English is the fallback.
var languages = map[string]words{
	"en": {
		Subject:  "Your tickets for %s",
		Greeting: "Hello",
		Body:     "thank you for your booking. Your tickets for this show are confirmed:",
		Attached: "Your tickets are attached as a PDF, and as Apple Wallet passes where available.",
		InWallet: "Your tickets are in your wallet: open the link below on your phone and show the code at the entrance. A screenshot will not work.",
		Wallet:   "Your wallet page with all your tickets:",
		Closing:  "See you at the show!",
	},
	"de": {
		Subject:  "Ihre Tickets für %s",
		Greeting: "Hallo",
		Body:     "vielen Dank für Ihre Buchung. Ihre Tickets für diese Vorstellung sind bestätigt:",
		Attached: "Ihre Tickets hängen als PDF an, und, wo verfügbar, als Apple-Wallet-Pässe.",
		InWallet: "Ihre Tickets sind in Ihrer Wallet: Öffnen Sie den Link unten auf Ihrem Smartphone und zeigen Sie den Code am Eingang. Ein Screenshot funktioniert nicht.",
		Wallet:   "Ihre Wallet-Seite mit allen Ihren Tickets:",
		Closing:  "Wir freuen uns auf Ihren Besuch!",
	},
}

// textFor returns the words for a locale such as "de", "de-AT" or "de_CH"; unknown locales get English.
func textFor(locale string) words {
	lang, _, _ := strings.Cut(strings.ReplaceAll(strings.ToLower(locale), "_", "-"), "-")
	if w, ok := languages[lang]; ok {
		return w
	}
	return languages["en"]
}

// subject returns the subject line for a show.
func (w words) subject(show string) string {
	return strings.Replace(w.Subject, "%s", show, 1)
}

// page is what the templates see.
type page struct {
	W         words
	Files     string // W.Attached, or W.InWallet when nothing is attached
	Name      string
	Show      string
	Tickets   int
	WalletURL string
}

const plainSource = `{{.W.Greeting}} {{.Name}},

{{.W.Body}}
{{.Show}} ({{.Tickets}})

{{.Files}}
{{if .WalletURL}}
{{.W.Wallet}}
{{.WalletURL}}
{{end}}
{{.W.Closing}}
`

const htmlSource = `<!DOCTYPE html>
<html><body>
<p>{{.W.Greeting}} {{.Name}},</p>
<p>{{.W.Body}}<br><strong>{{.Show}}</strong> ({{.Tickets}})</p>
<p>{{.Files}}</p>
{{if .WalletURL}}<p>{{.W.Wallet}} <a href="{{.WalletURL}}">{{.WalletURL}}</a></p>{{end}}
<p>{{.W.Closing}}</p>
</body></html>
`

var (
	plainTemplate = texttemplate.Must(texttemplate.New("plain").Parse(plainSource))
	htmlTemplate  = htmltemplate.Must(htmltemplate.New("html").Parse(htmlSource))
)

// render returns the plain text and the HTML of the e-mail in the customer's language.
func render(c Confirmation) (plain, html string, err error) {
	w := textFor(c.Locale)
	files := w.Attached
	if len(c.PDF) == 0 && len(c.Passes) == 0 {
		files = w.InWallet
	}
	p := page{W: w, Files: files, Name: c.CustomerName, Show: c.ShowTitle, Tickets: c.Tickets,
		WalletURL: c.WalletURL}
	var a, b bytes.Buffer
	if err := plainTemplate.Execute(&a, p); err != nil {
		return "", "", err
	}
	if err := htmlTemplate.Execute(&b, p); err != nil {
		return "", "", err
	}
	return a.String(), b.String(), nil
}
