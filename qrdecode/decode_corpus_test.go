package qrdecode

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The decode corpus: ticket QR codes as a gate sees them, generated from a fixed seed so
// that every run measures the same images.

const corpusSeed = 20240611

// corpusImage is one image of the corpus: the encoded file and the text it must decode to.
type corpusImage struct {
	name, category string
	text           string
	data           []byte
	ext            string // "png" or "jpg"
}

// scenario makes the images of one category: n images, alternating one-ticket and
// three-ticket payloads.
type scenario struct {
	category string
	n        int
	render   func(tb testing.TB, rng *rand.Rand, bits [][]bool) (data []byte, ext string)
}

var (
	corpusOnce sync.Once
	corpus     []corpusImage
)

// decodeCorpus returns the corpus, building it on first use.
func decodeCorpus(tb testing.TB) []corpusImage {
	corpusOnce.Do(func() { corpus = buildCorpus(tb) })
	return corpus
}

// buildCorpus renders the scenarios' images, on all cores: each image has its own
// random source, so the corpus does not depend on the order of the work.
func buildCorpus(tb testing.TB) []corpusImage {
	type job struct {
		si, i int
		sc    scenario
	}
	var jobs []job
	for si, sc := range scenarios() {
		for i := range sc.n {
			jobs = append(jobs, job{si, i, sc})
		}
	}
	out := make([]corpusImage, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for k, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rng := rand.New(rand.NewPCG(corpusSeed, uint64(j.si*1000+j.i)))
			text := ticketPayload(tb, rng, 1+2*(j.i%2))
			data, ext := j.sc.render(tb, rng, qrBits(tb, text))
			out[k] = corpusImage{
				name: fmt.Sprintf("%s-%02d", j.sc.category, j.i), category: j.sc.category,
				text: text, data: data, ext: ext,
			}
		}()
	}
	wg.Wait()
	return out
}

// qrTicket and qrSeat are a ticket of a QR code as the issuer writes it (ledger.QRTicket,
// which this package does not import).
type (
	qrTicket struct {
		Seat      qrSeat `json:"seat"`
		Secret    string `json:"secret"`
		SecretKey string `json:"secretKey,omitempty"`
		SecretIV  string `json:"secretIV,omitempty"`
		NameKey   string `json:"nameKey,omitempty"`
		NameIV    string `json:"nameIV,omitempty"`
	}
	qrSeat struct {
		Number int    `json:"number"`
		Letter string `json:"letter"`
	}
)

// ticketPayload returns the QR text of a purchase of n tickets, as the issuer writes it.
func ticketPayload(tb testing.TB, rng *rand.Rand, n int) string {
	tb.Helper()
	tickets := make([]qrTicket, n)
	row := string(rune('A' + rng.IntN(26)))
	first := 1 + rng.IntN(40)
	for i := range tickets {
		tickets[i] = qrTicket{
			Seat:      qrSeat{Number: first + i, Letter: row},
			Secret:    randomSecret(rng),
			SecretKey: randomHex(rng, 32),
			SecretIV:  randomHex(rng, 16),
		}
		if n == 1 && rng.IntN(2) == 0 {
			tickets[i].NameKey, tickets[i].NameIV = randomHex(rng, 32), randomHex(rng, 16)
		}
	}
	b, err := json.Marshal(tickets)
	if err != nil {
		tb.Errorf("marshal tickets: %v", err)
	}
	return string(b)
}

func randomSecret(rng *rand.Rand) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := make([]byte, 15)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

func randomHex(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	return hex.EncodeToString(b)
}

func between(rng *rand.Rand, lo, hi float64) float64 { return lo + rng.Float64()*(hi-lo) }

func signed(rng *rand.Rand, lo, hi float64) float64 {
	if rng.IntN(2) == 0 {
		return -between(rng, lo, hi)
	}
	return between(rng, lo, hi)
}

// cropped renders a sheet filling most of an image, as a screenshot or a close photo does:
// ppm pixels per module, a background of luminance bg around the projected sheet.
func cropped(t ticketArt, ppm float64, p pose, bg float64) *canvas {
	c, _ := croppedPose(t, ppm, p, bg)
	return c
}

// croppedPose is cropped that also returns the pose the sheet was drawn at.
func croppedPose(t ticketArt, ppm float64, p pose, bg float64) (*canvas, pose) {
	p.sidePx = t.side() * ppm
	p.cx, p.cy = 0, 0
	q := p.corners()
	minX, minY, maxX, maxY := q[0].x, q[0].y, q[0].x, q[0].y
	for _, c := range q[1:] {
		minX, maxX = min(minX, c.x), max(maxX, c.x)
		minY, maxY = min(minY, c.y), max(maxY, c.y)
	}
	pad := 2 * ppm
	w, h := int(maxX-minX+2*pad), int(maxY-minY+2*pad)
	p.cx, p.cy = pad-minX, pad-minY
	c := newCanvas(w, h, bg)
	c.draw(t, p)
	return c, p
}

// sheet is a code with a quiet zone of 4 modules, black on white.
func sheet(bits [][]bool) ticketArt { return ticketArt{bits: bits, margin: 4, dark: 20, light: 235} }

// frame renders a 1280x720 camera frame with clutter and a sheet somewhere in it.
func frame(rng *rand.Rand, t ticketArt, ppm float64, p pose) *canvas {
	c := newCanvas(1280, 720, between(rng, 90, 170))
	c.clutter(rng, 12)
	c.light(between(rng, 0.6, 0.8), 1, rng.Float64()*360)
	p.sidePx = t.side() * ppm
	half := p.sidePx * 0.75
	p.cx, p.cy = between(rng, half, 1280-half), between(rng, half, 720-half)
	c.draw(t, p)
	return c
}

func pngOf(tb testing.TB, c *canvas) ([]byte, string) { return encodePNG(tb, c.gray()), "png" }

func scenarios() []scenario {
	return []scenario{
		{"clean", 8, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			return pngOf(tb, cropped(sheet(bits), between(rng, 3, 6), pose{}, 235))
		}},
		{"rotate", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			angle := []float64{5, 15, 30, 45, 90, 180}[rng.IntN(6)]
			return pngOf(tb, cropped(sheet(bits), between(rng, 3.5, 5), pose{rotate: angle}, 235))
		}},
		{"perspective", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			p := pose{rotate: signed(rng, 0, 10), tiltX: signed(rng, 15, 35), tilty: signed(rng, 10, 30)}
			return pngOf(tb, cropped(sheet(bits), between(rng, 4, 6), p, 120))
		}},
		{"blur", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			ppm := between(rng, 4, 6)
			c := cropped(sheet(bits), ppm, pose{rotate: signed(rng, 0, 5)}, 235)
			c.blur(ppm * between(rng, 0.25, 0.4))
			return pngOf(tb, c)
		}},
		{"noise-mild", 8, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			c := cropped(sheet(bits), between(rng, 3, 5), pose{rotate: signed(rng, 0, 10)}, 235)
			c.noise(rng, 12)
			return pngOf(tb, c)
		}},
		{"noise-strong", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			c := cropped(sheet(bits), between(rng, 3.5, 5), pose{rotate: signed(rng, 0, 10)}, 235)
			c.blur(0.6)
			c.noise(rng, between(rng, 30, 45))
			return pngOf(tb, c)
		}},
		{"jpeg30", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			c := cropped(sheet(bits), between(rng, 3, 5), pose{rotate: signed(rng, 0, 20)}, 235)
			return encodeJPEG(tb, c.gray(), 30), "jpg"
		}},
		{"low-contrast", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			t := ticketArt{bits: bits, margin: 4, dark: 110, light: 150}
			c := cropped(t, between(rng, 3.5, 5), pose{rotate: signed(rng, 0, 10)}, 150)
			c.blur(0.7)
			c.noise(rng, 3)
			return pngOf(tb, c)
		}},
		{"uneven-light", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			c := cropped(sheet(bits), between(rng, 3.5, 5), pose{rotate: signed(rng, 0, 10)}, 235)
			c.light(between(rng, 0.15, 0.3), 1, rng.Float64()*360)
			c.blur(0.6)
			c.noise(rng, 4)
			return pngOf(tb, c)
		}},
		{"inverted", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			c := cropped(sheet(bits), between(rng, 3, 5), pose{rotate: signed(rng, 0, 15)}, 235)
			c.invert()
			c.blur(0.5)
			return pngOf(tb, c)
		}},
		{"small-in-frame", 16, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			c := frame(rng, sheet(bits), between(rng, 2, 2.5), pose{rotate: signed(rng, 0, 8)})
			c.blur(0.5)
			c.noise(rng, 3)
			return pngOf(tb, c)
		}},
		{"frame", 12, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			p := pose{rotate: signed(rng, 0, 20), tiltX: signed(rng, 0, 15), tilty: signed(rng, 0, 15)}
			c := frame(rng, sheet(bits), between(rng, 3.5, 5), p)
			c.blur(0.8)
			c.noise(rng, 5)
			return encodeJPEG(tb, c.gray(), 75), "jpg"
		}},
		{"photo", 16, func(tb testing.TB, rng *rand.Rand, bits [][]bool) ([]byte, string) {
			t := ticketArt{bits: bits, margin: between(rng, 5, 12), dark: 35, light: 225}
			p := pose{rotate: signed(rng, 2, 12), tiltX: signed(rng, 0, 15), tilty: signed(rng, 0, 15)}
			c := cropped(t, between(rng, 3, 5), p, between(rng, 50, 110))
			c.light(between(rng, 0.6, 0.85), 1, rng.Float64()*360)
			c.blur(0.8)
			c.noise(rng, 4)
			return encodeJPEG(tb, c.tinted(), 80), "jpg"
		}},
	}
}

// rates counts decodes per category.
type rates map[string][2]int // category -> {decoded, total}

func (r rates) add(category string, ok bool) {
	c := r[category]
	c[1]++
	if ok {
		c[0]++
	}
	r[category] = c
}

func (r rates) total() (int, int) {
	ok, n := 0, 0
	for _, c := range r {
		ok, n = ok+c[0], n+c[1]
	}
	return ok, n
}

func (r rates) rate() float64 {
	ok, n := r.total()
	return float64(ok) / float64(max(1, n))
}

// table renders decode rates of several decoders per category, one column each.
func table(names []string, all []rates) string {
	var cats []string
	for c := range all[0] {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s", "category")
	for _, n := range names {
		fmt.Fprintf(&b, " %14s", n)
	}
	b.WriteString("\n")
	row := func(label string, cell func(r rates) (int, int)) {
		fmt.Fprintf(&b, "%-16s", label)
		for _, r := range all {
			ok, n := cell(r)
			fmt.Fprintf(&b, " %6d/%-3d%3.0f%%", ok, n, 100*float64(ok)/float64(max(1, n)))
		}
		b.WriteString("\n")
	}
	for _, c := range cats {
		row(c, func(r rates) (int, int) { return r[c][0], r[c][1] })
	}
	row("total", rates.total)
	return b.String()
}
