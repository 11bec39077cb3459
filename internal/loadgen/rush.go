package loadgen

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Options are a load test's settings.
type Options struct {
	Servers       []string      // base URLs; clients are spread over them in turn
	Key           string        // a box-office or organizer API key
	Contract      string        // the contract whose sale is rushed
	Clients       int           // concurrent buyers, each one request at a time
	Duration      time.Duration // how long to run; 0: until Requests
	Requests      int64         // stop after this many requests (0: only Duration counts)
	SeatsPerOrder int           // orders take 1 to this many seats
	Release       float64       // share of requests (0 to 1) that release a seat the client holds
	Log           io.Writer     // every committed reservation and release, one JSON object a line; nil for none
}

// Run rushes the sale: it lets the clients loose until the duration or request count is
// reached, drawing a progress line on progress every second, then checks the ledger's
// ticket list against what the buyers were told. It fails when the contract cannot be
// read or has no seat for sale (ECONFLICT); oversold and mismatched seats are in the
// report, not an error.
func Run(ctx context.Context, o Options, progress io.Writer) (Report, error) {
	r, err := newRush(ctx, o)
	if err != nil {
		return Report{}, err
	}
	rep := r.run(ctx, progress)
	if err := r.reconcile(ctx, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// rush is one load test: clients buying and releasing seats of one contract.
type rush struct {
	o        Options
	http     *http.Client
	runID    string // the run's id, in every sender
	seats    []ledger.Seat
	book     *seatBook
	stats    *loadStats
	logMu    sync.Mutex
	log      *json.Encoder
	count    atomic.Int64
	deadline time.Time
	ledger   *client.Client
	// holders are the buyers' addresses in the ticket list (buyer id → address), as their
	// purchases answered: the list never shows their senders.
	holders sync.Map
}

func newRush(ctx context.Context, o Options) (*rush, error) {
	cl, err := client.New(o.Servers[0], o.Key)
	if err != nil {
		return nil, err
	}
	tickets, err := cl.Tickets(ctx, o.Contract)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 4)
	rand.Read(id)
	r := &rush{o: o, runID: hex.EncodeToString(id), stats: newLoadStats(), ledger: cl,
		http: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: o.Clients, IdleConnTimeout: time.Minute}}}
	if o.Log != nil {
		r.log = json.NewEncoder(o.Log)
	}
	r.book = newSeatBook(len(tickets))
	for i, t := range tickets {
		r.seats = append(r.seats, t.Seat)
		if t.Available() { // neither sold nor held by a booking
			r.book.free(i)
		}
	}
	if r.book.freeCount() == 0 {
		return nil, ledger.Errorf(ledger.ECONFLICT, "contract %s has no seat for sale (begin a sale first)", o.Contract)
	}
	return r, nil
}

// run lets the clients loose until the duration or request count is reached, drawing a
// progress line on w every second. Requests under way at the end finish, so every answer
// is counted; only an interrupt (ctx) cuts them off.
func (r *rush) run(ctx context.Context, w io.Writer) Report {
	start := time.Now()
	r.deadline = start.Add(r.o.Duration)
	if r.o.Duration <= 0 {
		r.deadline = start.Add(100 * 365 * 24 * time.Hour)
	}
	done := make(chan struct{})
	go r.progress(w, start, done)
	var wg sync.WaitGroup
	for i := range r.o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.buyer(ctx, i)
		}()
	}
	wg.Wait()
	close(done)
	return r.stats.report(r, time.Since(start))
}

// buyer is one client: one request at a time until the run ends.
func (r *rush) buyer(ctx context.Context, i int) {
	b := &buyer{r: r, id: i, sender: fmt.Sprintf("loadtest-%s-%d", r.runID, i), server: r.o.Servers[i%len(r.o.Servers)],
		rng: mrand.New(mrand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))}
	for ctx.Err() == nil && time.Now().Before(r.deadline) {
		if r.o.Requests > 0 && r.count.Add(1) > r.o.Requests {
			return
		}
		if len(b.held) > 0 && (b.rng.Float64() < r.o.Release || r.book.freeCount() == 0) {
			b.release(ctx)
			continue
		}
		seats := r.book.pick(b.rng, 1+b.rng.IntN(r.o.SeatsPerOrder))
		if len(seats) == 0 {
			time.Sleep(5 * time.Millisecond) // sold out and holding nothing: wait for releases
			continue
		}
		b.reserve(ctx, seats)
	}
}

type buyer struct {
	r      *rush
	id     int
	sender string
	holder string // the sender's address in the ticket list, as the first purchase answered
	server string
	rng    *mrand.Rand
	held   []int
}

// committed is one line of --log: a reservation or release the server committed.
type committed struct {
	Kind            string        `json:"kind"` // reserve or release
	TransactionHash string        `json:"transactionHash"`
	Sender          string        `json:"sender"`
	Holder          string        `json:"holder"` // the address the journal records for the sender
	Seats           []ledger.Seat `json:"seats"`
	Amount          int64         `json:"amount"` // paid, or refunded
}

func (b *buyer) reserve(ctx context.Context, idx []int) {
	seats := make([]ledger.Seat, len(idx))
	for k, i := range idx {
		seats[k] = b.r.seats[i]
	}
	var body any = api.ReserveTicketsRequest{Seats: seats, Sender: b.sender}
	route := "ReserveTickets"
	if len(seats) == 1 {
		body, route = api.ReserveTicketRequest{Seat: &seats[0], Sender: b.sender}, "ReserveTicket"
	}
	var out struct {
		TransactionHash string `json:"transactionHash"`
		Price           int64  `json:"price"` // ReserveTicket
		Total           int64  `json:"total"` // ReserveTickets
		Holder          string `json:"holder"`
	}
	start := time.Now()
	status := b.r.post(ctx, b.server, route, body, &out)
	b.r.stats.reservation(time.Since(start), status, len(seats))
	if status != http.StatusCreated {
		return
	}
	b.r.stats.oversold.Add(int64(b.r.book.sold(idx, b.id)))
	b.held = append(b.held, idx...)
	b.holder = out.Holder
	b.r.holders.Store(b.id, out.Holder)
	b.r.record(committed{Kind: "reserve", TransactionHash: out.TransactionHash, Sender: b.sender, Holder: out.Holder, Seats: seats,
		Amount: out.Price + out.Total})
}

func (b *buyer) release(ctx context.Context) {
	k := b.rng.IntN(len(b.held))
	i := b.held[k]
	b.held = append(b.held[:k], b.held[k+1:]...)
	b.r.book.markReleasing(i)
	var out api.ReleaseTicketResponse
	start := time.Now()
	status := b.r.post(ctx, b.server, "ReleaseTicket", api.ReleaseTicketRequest{Seat: &b.r.seats[i], Sender: b.sender}, &out)
	b.r.stats.release(time.Since(start), status)
	b.r.stats.oversold.Add(int64(b.r.book.released(i, b.id, status == http.StatusCreated)))
	if status == http.StatusCreated {
		b.r.record(committed{Kind: "release", TransactionHash: out.TransactionHash, Sender: b.sender, Holder: b.holder,
			Seats: []ledger.Seat{b.r.seats[i]}, Amount: out.Refund})
	}
}

// post sends a selling request and decodes a 201's body into out; it returns the status,
// or 0 when the server could not be reached or answered nonsense.
func (r *rush) post(ctx context.Context, server, route string, body, out any) int {
	data, _ := json.Marshal(body)
	u := server + api.ContractPath(url.PathEscape(r.o.Contract), route)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(data))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+r.o.Key)
	resp, err := r.http.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0
	}
	if resp.StatusCode == http.StatusCreated && json.Unmarshal(answer, out) != nil {
		return 0
	}
	return resp.StatusCode
}

func (r *rush) record(c committed) {
	if r.log == nil {
		return
	}
	r.logMu.Lock()
	r.log.Encode(c)
	r.logMu.Unlock()
}

// progress draws a line a second: on a terminal in place, otherwise one line each.
func (r *rush) progress(w io.Writer, start time.Time, done <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	end := "\n"
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		end = "\r"
	}
	last := int64(0)
	for {
		select {
		case <-done:
			if end == "\r" {
				fmt.Fprintln(w)
			}
			return
		case <-tick.C:
			n := r.stats.reserved.Load()
			p50, p99 := r.stats.latency.percentiles()
			fmt.Fprintf(w, "%6.0fs  %d reservations (%d/s)  p50 %s  p99 %s  refused %d  errors %d  oversold %d   %s",
				time.Since(start).Seconds(), n, n-last, ms(p50), ms(p99), r.stats.refused.Load(), r.stats.failed.Load(),
				r.stats.oversold.Load(), end)
			last = n
		}
	}
}
