package ticketpdf

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// secretAlphabet is the URL-safe alphabet of ticket secrets.
const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// sources holds one pseudo-random source per test, seeded by the test's name: payloads
// look like real ones yet are the same on every run, so any decoder failure reproduces.
var sources sync.Map // testing.TB -> *rand.Rand

func source(tb testing.TB) *rand.Rand {
	if r, ok := sources.Load(tb); ok {
		return r.(*rand.Rand)
	}
	h := fnv.New64a()
	h.Write([]byte(tb.Name()))
	r, _ := sources.LoadOrStore(tb, rand.New(rand.NewPCG(h.Sum64(), 1)))
	return r.(*rand.Rand)
}

// randomHex returns n pseudo-random bytes as 2n hex digits.
func randomHex(tb testing.TB, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(source(tb).Uint32())
	}
	return hex.EncodeToString(b)
}

// randomSecret returns a 15-character secret like the issuer's.
func randomSecret(tb testing.TB) string {
	b := make([]byte, 15)
	for i := range b {
		b[i] = secretAlphabet[source(tb).IntN(len(secretAlphabet))]
	}
	return string(b)
}

// qrPayload builds a realistic QR text for the seats as the issuer will: the JSON array
// of ledger.QRTicket with fresh 15-character secrets, 64-hex keys and 32-hex IVs, and
// name keys when named is set.
func qrPayload(tb testing.TB, seats []ledger.Seat, named bool) string {
	tb.Helper()
	tickets := make([]ledger.QRTicket, len(seats))
	for i, s := range seats {
		tickets[i] = ledger.QRTicket{Seat: s, Secret: randomSecret(tb),
			SecretKey: randomHex(tb, 32), SecretIV: randomHex(tb, 16)}
		if named {
			tickets[i].NameKey, tickets[i].NameIV = randomHex(tb, 32), randomHex(tb, 16)
		}
	}
	b, err := json.Marshal(tickets)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// stallSeats returns n seats in a row of the stalls, from 12C on.
func stallSeats(n int) []ledger.Seat {
	seats := make([]ledger.Seat, n)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "Stalls", Letter: "C", Number: 12 + i}
	}
	return seats
}

// zbarTexts decodes every QR code in the image file with zbarimg, an independent decoder.
func zbarTexts(tb testing.TB, file string) []string {
	tb.Helper()
	zbarimg := testtool.Need(tb, "zbarimg", "zbar-tools")
	out, err := exec.Command(zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", file).Output()
	if err != nil {
		tb.Fatalf("zbarimg %s found no QR code: %v", filepath.Base(file), err)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}

// zxingDecode decodes the one QR code of img with gozxing, in process.
func zxingDecode(tb testing.TB, img image.Image) *gozxing.Result {
	tb.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		tb.Fatal(err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := zxingqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		tb.Fatalf("gozxing cannot read the QR code: %v", err)
	}
	return res
}

func decodePNG(tb testing.TB, b []byte) image.Image {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("not a PNG: %v", err)
	}
	return img
}

func TestQRPNG(t *testing.T) {
	for _, n := range []int{1, 3, 4} {
		text := qrPayload(t, stallSeats(n), true)
		t.Run(fmt.Sprintf("Decodes%dSeats", n), func(t *testing.T) {
			b, err := QRPNG(text, DefaultRecovery, 3)
			if err != nil {
				t.Fatal(err)
			}
			res := zxingDecode(t, decodePNG(t, b))
			if got := res.GetText(); got != text {
				t.Fatalf("gozxing read %q, want %q", got, text)
			}
			if got := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL]; got != "M" {
				t.Errorf("error correction level %v, want M", got)
			}
			file := filepath.Join(t.TempDir(), "qr.png")
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if got := zbarTexts(t, file); len(got) != 1 || got[0] != text {
				t.Fatalf("zbarimg read %q, want %q", got, text)
			}
		})
	}
	t.Run("LevelIsSettable", func(t *testing.T) {
		text := qrPayload(t, stallSeats(1), false)
		b, err := QRPNG(text, qrcode.Highest, 2)
		if err != nil {
			t.Fatal(err)
		}
		res := zxingDecode(t, decodePNG(t, b))
		if got := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL]; got != "H" || res.GetText() != text {
			t.Errorf("read level %v text %q, want H and %q", got, res.GetText(), text)
		}
	})
}

// TestQRPNGModules checks the pixels: every module is exactly modulePx wide and high, the
// quiet zone is four white modules, and the modules are those of the go-qrcode symbol.
func TestQRPNGModules(t *testing.T) {
	text := qrPayload(t, stallSeats(3), true)
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap() // go-qrcode's own rendering, with its four-module border
	for _, px := range []int{1, 2, 3, 5} {
		b, err := QRPNG(text, qrcode.Medium, px)
		if err != nil {
			t.Fatal(err)
		}
		img := decodePNG(t, b)
		if got, wantSide := img.Bounds().Dx(), len(want)*px; got != wantSide || img.Bounds().Dy() != wantSide {
			t.Fatalf("modulePx %d: image %v, want %dx%d", px, img.Bounds(), wantSide, wantSide)
		}
		checkModules(t, img, want, px)
		checkFinderRow(t, img, px)
	}
}

func isDark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r+g+b < 3*0x8000
}

func checkModules(t *testing.T, img image.Image, want [][]bool, px int) {
	t.Helper()
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if isDark(img, x, y) != want[y/px][x/px] {
				t.Fatalf("modulePx %d: pixel (%d,%d) dark=%v, want module (%d,%d) dark=%v",
					px, x, y, isDark(img, x, y), x/px, y/px, want[y/px][x/px])
			}
		}
	}
}

// checkFinderRow reads the top row of the top-left finder pattern: 4 white modules of
// quiet zone, then 7 dark modules, then a white separator, each exactly px pixels.
func checkFinderRow(t *testing.T, img image.Image, px int) {
	t.Helper()
	y := issuer.QuietZone*px + px/2
	var pattern []bool
	for x := 0; x < 12*px; x++ {
		pattern = append(pattern, isDark(img, x, y))
	}
	for x, dark := range pattern {
		module := x / px
		if want := module >= 4 && module < 11; dark != want {
			t.Fatalf("modulePx %d: finder row pixel %d dark=%v, want %v", px, x, dark, want)
		}
	}
}

func TestQRPNGErrors(t *testing.T) {
	long := strings.Repeat("x", 3000)
	for name, tc := range map[string]struct {
		text  string
		level qrcode.RecoveryLevel
		px    int
	}{
		"ErrEmpty":         {"", qrcode.Medium, 2},
		"ErrTooLong":       {long, qrcode.Medium, 2},
		"ErrModulePxZero":  {"x", qrcode.Medium, 0},
		"ErrModulePxNeg":   {"x", qrcode.Medium, -4},
		"ErrModulePxHuge":  {"x", qrcode.Medium, MaxModulePx + 1},
		"ErrUnknownLevel":  {"x", qrcode.RecoveryLevel(9), 2},
		"ErrNegativeLevel": {"x", qrcode.RecoveryLevel(-1), 2},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := QRPNG(tc.text, tc.level, tc.px)
			if code := ledger.ErrorCode(err); code != ledger.EINVALID || b != nil {
				t.Fatalf("got %d bytes, error %v (code %q), want no image and code %q", len(b), err, code, ledger.EINVALID)
			}
		})
	}
}

// TestDefaultRecoveryIsTheIssuers: the issuer groups a purchase's tickets by the versions
// of level M symbols (issuer.VersionM), so the codes printed must be level M, and the
// version WritePDF checks is the issuer's.
func TestDefaultRecoveryIsTheIssuers(t *testing.T) {
	if DefaultRecovery != qrcode.Medium {
		t.Fatalf("DefaultRecovery is %v; issuer.VersionM reads level M", DefaultRecovery)
	}
	text := qrPayload(t, stallSeats(3), true)
	v, err := qrVersion(text, DefaultRecovery)
	if want, ok := issuer.VersionM(text); err != nil || !ok || v != want {
		t.Errorf("qrVersion = %d, %v; issuer.VersionM = %d, %v", v, err, want, ok)
	}
}
