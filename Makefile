# The developer's commands. `make test` is what CI runs (through .ci/run).
GO      ?= go
PKGS    := ./...
# The suites over a ledger run a second time on PostgreSQL (TICKETBOOTH_TEST_DB=postgres; a
# throwaway cluster, see internal/pgtest). A package joins once its tests open their
# ledger with pgtest.LedgerDB.
POSTGRES_PKGS := ./ledger/sqlstore/ ./server/ ./client/ ./cmd/ticketbooth/ ./season/
BIN     := bin/ticketbooth
FUZZTIME ?= 20s

.PHONY: all build test demo bench bench-node vet lint fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/ticketbooth

test: vet
	$(GO) test -count=1 $(PKGS)
	TICKETBOOTH_TEST_DB=postgres $(GO) test -count=1 $(POSTGRES_PKGS)

demo:
	$(GO) run ./cmd/ticketbooth demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

vet:
	$(GO) vet $(PKGS)

lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Short runs of every fuzz target; FUZZTIME=5m make fuzz for a longer one.
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin

# The node qrcode + pdfkit baseline of the batch issuer (needs node and npm; not part of CI).
bench-node:
	cd bench/node && npm install --no-audit --no-fund --silent && node bench.js 1000
