package ticketpdf

import (
	"runtime"

	"github.com/skip2/go-qrcode"
)

// pendingSymbol is the QR symbol of one ticket, being built by a worker; done is closed
// when sym or err is set.
type pendingSymbol struct {
	done chan struct{}
	sym  *qrSymbol
	err  error
}

type symbolJob struct {
	text string
	out  *pendingSymbol
}

// buildSymbols builds the QR symbols of the tickets on every core and returns them in
// ticket order. Building the symbol is a large part of the cost of a ticket (all eight
// masks are drawn and scored), so the page writer only waits on workers that run ahead
// of it. The workers stay at most a few symbols per core ahead, so memory does not grow with the
// batch. Closing stop makes the pipeline wind down early; its goroutines then exit after
// the jobs already handed out.
func buildSymbols(tickets []PrintedTicket, level qrcode.RecoveryLevel, stop <-chan struct{}) <-chan *pendingSymbol {
	workers := min(runtime.GOMAXPROCS(0), len(tickets))
	ahead := 4 * workers
	ordered := make(chan *pendingSymbol, ahead)
	jobs := make(chan symbolJob, ahead)
	for range workers {
		go func() {
			for j := range jobs {
				j.out.sym, j.out.err = newQRSymbol(j.text, level)
				close(j.out.done)
			}
		}()
	}
	go func() {
		defer close(ordered)
		defer close(jobs)
		for i := range tickets {
			p := &pendingSymbol{done: make(chan struct{})}
			select {
			case ordered <- p:
			case <-stop:
				return
			}
			jobs <- symbolJob{text: tickets[i].QRText, out: p}
		}
	}()
	return ordered
}
