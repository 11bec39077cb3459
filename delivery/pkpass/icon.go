package pkpass

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"maps"
	"sync"
)

// iconColor is the plain square Wallet shows beside the pass in notifications.
var iconColor = color.NRGBA{R: 0x1f, G: 0x3a, B: 0x5f, A: 0xff}

// icons returns icon.png and icon@2x.png, which Wallet requires in every pass: plain
// squares of 29 and 58 pixels, drawn here so the package ships no image files. They are
// drawn once (a batch of mails builds thousands of passes); each call gets its own map.
func icons() (map[string][]byte, error) {
	drawn, err := drawnIcons()
	if err != nil {
		return nil, err
	}
	return maps.Clone(drawn), nil
}

var drawnIcons = sync.OnceValues(drawIcons)

// drawIcons draws and encodes the icons.
func drawIcons() (map[string][]byte, error) {
	out := map[string][]byte{}
	for name, size := range map[string]int{"icon.png": 29, "icon@2x.png": 58} {
		img := image.NewNRGBA(image.Rect(0, 0, size, size))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = iconColor.R, iconColor.G, iconColor.B, iconColor.A
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, err
		}
		out[name] = buf.Bytes()
	}
	return out, nil
}
