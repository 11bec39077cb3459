package pdfscan

import (
	"cmp"

	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// Limits bound what reading one PDF may cost. The zero value of a field means its
// default (DefaultLimits).
type Limits struct {
	// MaxFileBytes bounds the file itself.
	MaxFileBytes int
	// MaxObjects bounds the objects found in the file and its object streams.
	MaxObjects int
	// MaxStreamBytes bounds one stream once inflated; MaxInflatedBytes all of them.
	MaxStreamBytes   int
	MaxInflatedBytes int
	// MaxPages is the most pages a PDF may have.
	MaxPages int
	// MaxOperators bounds the content operators run over the whole file.
	MaxOperators int
	// MaxPathPoints bounds the points of the paths filled on one page.
	MaxPathPoints int
	// MaxRasterPixels bounds the raster of one page; larger pages are painted at a lower
	// resolution.
	MaxRasterPixels int
	// MaxImages bounds the images decoded over the whole file.
	MaxImages int
	// Pictures bound each JPEG in a PDF and a picture file given to DecodeFile:
	// qrdecode.GateLimits by default, qrdecode.FileLimits where a big scan may be read.
	Pictures qrdecode.Limits
}

// DefaultLimits are generous for any ticket, a phone's screenshot or a scanner's PDF,
// and keep a hostile file to about a hundred megabytes and a few seconds.
var DefaultLimits = Limits{
	MaxFileBytes:     32 << 20,
	MaxObjects:       200_000,
	MaxStreamBytes:   16 << 20,
	MaxInflatedBytes: 64 << 20,
	MaxPages:         50,
	MaxOperators:     2_000_000,
	MaxPathPoints:    1_000_000,
	MaxRasterPixels:  12_000_000,
	MaxImages:        100,
	Pictures:         qrdecode.GateLimits,
}

// withDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	return Limits{
		MaxFileBytes:     pick(l.MaxFileBytes, d.MaxFileBytes),
		MaxObjects:       pick(l.MaxObjects, d.MaxObjects),
		MaxStreamBytes:   pick(l.MaxStreamBytes, d.MaxStreamBytes),
		MaxInflatedBytes: pick(l.MaxInflatedBytes, d.MaxInflatedBytes),
		MaxPages:         pick(l.MaxPages, d.MaxPages),
		MaxOperators:     pick(l.MaxOperators, d.MaxOperators),
		MaxPathPoints:    pick(l.MaxPathPoints, d.MaxPathPoints),
		MaxRasterPixels:  pick(l.MaxRasterPixels, d.MaxRasterPixels),
		MaxImages:        pick(l.MaxImages, d.MaxImages),
		Pictures:         cmp.Or(l.Pictures, d.Pictures),
	}
}
