package ticketpdf

import (
	"io"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/issuer"
)

// benchBatch is the size of one PDF in the batch benchmarks.
const benchBatch = 100

// benchTickets returns n one-seat tickets with distinct, realistic QR payloads (no
// identity policy, as by default).
func benchTickets(b *testing.B, n int) []PrintedTicket {
	b.Helper()
	tickets := make([]PrintedTicket, n)
	for i := range tickets {
		tickets[i] = newPrintedTicket(b, 1, "")
	}
	return tickets
}

func reportRate(b *testing.B, perOp int, unit string) {
	b.ReportMetric(float64(b.N*perOp)/b.Elapsed().Seconds(), unit)
}

// buildSymbolAlone is the ceiling's unit of work: go-qrcode alone building one symbol.
// It reports failures with Error, which any goroutine may call.
func buildSymbolAlone(b *testing.B, text string) {
	q, err := qrcode.New(text, DefaultRecovery)
	if err != nil {
		b.Error(err)
		return
	}
	if len(q.Bitmap()) == 0 {
		b.Error("empty bitmap")
	}
}

// BenchmarkQRSymbol measures go-qrcode alone building one-seat symbols on one core.
func BenchmarkQRSymbol(b *testing.B) {
	tickets := benchTickets(b, 64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buildSymbolAlone(b, tickets[i%len(tickets)].QRText)
	}
	reportRate(b, 1, "symbols/s")
}

// BenchmarkQRSymbolParallel is BenchmarkQRSymbol on every core: the ceiling of issuing.
func BenchmarkQRSymbolParallel(b *testing.B) {
	tickets := benchTickets(b, 64)
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			buildSymbolAlone(b, tickets[next.Add(1)%int64(len(tickets))].QRText)
		}
	})
	reportRate(b, 1, "symbols/s")
}

// BenchmarkQRPNG measures QRPNG at 4 pixels per module on one core.
func BenchmarkQRPNG(b *testing.B) {
	tickets := benchTickets(b, 64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := QRPNG(tickets[i%len(tickets)].QRText, DefaultRecovery, 4); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, 1, "images/s")
}

// BenchmarkWritePDF writes PDFs of 100 one-seat tickets; WritePDF builds the symbols on
// every core.
func BenchmarkWritePDF(b *testing.B) {
	tickets := benchTickets(b, benchBatch)
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		b.Run(layout.String(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := WritePDF(io.Discard, layout, tickets); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, benchBatch, "tickets/s")
		})
	}
}

// BenchmarkWritePDFOne writes the PDF of one one-seat ticket, as a customer downloads
// it: the symbol plus the fixed cost of a document (fonts cut down and embedded).
func BenchmarkWritePDFOne(b *testing.B) {
	tickets := benchTickets(b, 1)
	out := heapProbe{next: 1 << 62} // counts bytes, never probes
	for i := 0; i < b.N; i++ {
		if err := WritePDF(&out, issuer.LayoutA4, tickets); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.written)/float64(b.N), "pdf-B")
	reportRate(b, 1, "tickets/s")
}

// BenchmarkWritePDFParallel writes many 100-ticket PDFs at once, one per goroutine, as a
// server printing for many customers would.
func BenchmarkWritePDFParallel(b *testing.B) {
	tickets := benchTickets(b, benchBatch)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := WritePDF(io.Discard, issuer.LayoutA4, tickets); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, benchBatch, "tickets/s")
}

// BenchmarkBatchVsCeiling measures, in the same run and on the same cores, the rate of
// go-qrcode alone building the symbols of a batch on every core (the ceiling) and the
// rate of WritePDF issuing the same batch into one PDF, and reports the batch as a
// percentage of the ceiling (target: 80 or more).
func BenchmarkBatchVsCeiling(b *testing.B) {
	tickets := benchTickets(b, benchBatch)
	var ceiling, batch time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		buildAllSymbols(b, tickets)
		ceiling += time.Since(start)
		start = time.Now()
		if err := WritePDF(io.Discard, issuer.LayoutA4, tickets); err != nil {
			b.Fatal(err)
		}
		batch += time.Since(start)
	}
	n := float64(b.N * benchBatch)
	b.ReportMetric(n/ceiling.Seconds(), "ceiling-symbols/s")
	b.ReportMetric(n/batch.Seconds(), "batch-tickets/s")
	b.ReportMetric(100*ceiling.Seconds()/batch.Seconds(), "%-of-ceiling")
}

// buildAllSymbols builds the tickets' symbols with go-qrcode alone on every core.
func buildAllSymbols(b *testing.B, tickets []PrintedTicket) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(tickets)); i = next.Add(1) - 1 {
				buildSymbolAlone(b, tickets[i].QRText)
			}
		}()
	}
	wg.Wait()
}

// BenchmarkPDFMemory measures the memory of writing one PDF of 1,000 and of 10,000
// one-seat A4 tickets: the largest live heap above what the tickets themselves take,
// measured whenever another 2 MB of PDF has been written. Streaming keeps it flat. Run it
// alone: go test -run XXX -bench PDFMemory -benchtime 1x ./issuer
func BenchmarkPDFMemory(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			tickets := benchTickets(b, n)
			for range b.N {
				out := &heapProbe{every: 2 << 20, base: liveHeap()}
				if err := WritePDF(out, issuer.LayoutA4, tickets); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(out.peak-out.base)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(out.written)/float64(n), "pdf-B/page")
			}
		})
	}
}

// heapProbe discards a PDF and, every so many bytes, measures the live heap. It first
// holds the writer still for a moment, so that the symbol workers fill their bounded
// queue and stop: the heap is then measured at its fullest and without allocations
// racing the collection.
type heapProbe struct {
	every, next, written int64
	base, peak           int64
}

func (h *heapProbe) Write(p []byte) (int, error) {
	h.written += int64(len(p))
	if h.written >= h.next {
		h.next = h.written + h.every
		time.Sleep(20 * time.Millisecond)
		h.peak = max(h.peak, liveHeap())
	}
	return len(p), nil
}

// liveHeap returns the bytes of heap objects found live by a full collection.
func liveHeap() int64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return int64(sample[0].Value.Uint64())
}
