package qrdecode

import (
	"image"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

// Benchmarks of Decode on camera frames, single-threaded: a gate scanner decodes one frame
// after another on one core. Each reports the mean (ns/op) and the median (ms-median) over
// a set of frames with different poses; the target is a median of at most 20 ms for
// BenchmarkDecodeFrame1280x720. Run: go test ./qrdecode -run '^$' -bench Decode -cpu 1

// cameraFrames renders n 1280x720 frames holding a three-ticket code at ppm pixels per
// module, as a camera's JPEG frames decode: colour (*image.YCbCr), slightly blurred and
// noisy, the code somewhat rotated and tilted. ppm 0 renders frames with no code.
func cameraFrames(tb testing.TB, n int, ppm float64) []image.Image {
	frames := make([]image.Image, n)
	for i := range frames {
		rng := rand.New(rand.NewPCG(7, uint64(i)))
		text := ticketPayload(tb, rng, 3)
		var c *canvas
		if ppm == 0 {
			c = newCanvas(1280, 720, between(rng, 90, 170))
			c.clutter(rng, 25)
			c.light(0.7, 1, rng.Float64()*360)
		} else {
			p := pose{rotate: signed(rng, 0, 20), tiltX: signed(rng, 0, 10), tilty: signed(rng, 0, 10)}
			c = frame(rng, sheet(qrBits(tb, text)), ppm, p)
		}
		c.blur(0.7)
		c.noise(rng, 4)
		img, err := jpegDecode(encodeJPEG(tb, c.tinted(), 85))
		if err != nil {
			tb.Fatal(err)
		}
		frames[i] = img
	}
	return frames
}

// benchmarkFrames decodes the frames in turn on one core and reports the median time
// and the share of frames decoded.
func benchmarkFrames(b *testing.B, frames []image.Image) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var times []time.Duration
	decoded := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		_, err := Decode(frames[i%len(frames)])
		times = append(times, time.Since(t0))
		if err == nil {
			decoded++
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(decoded)/float64(len(times)), "decoded/op")
}

func BenchmarkDecodeFrame1280x720(b *testing.B) {
	benchmarkFrames(b, cameraFrames(b, 8, 4))
}

func BenchmarkDecodeSmallInFrame(b *testing.B) {
	benchmarkFrames(b, cameraFrames(b, 8, 2.3))
}

func BenchmarkDecodeNoCode(b *testing.B) {
	benchmarkFrames(b, cameraFrames(b, 4, 0))
}
