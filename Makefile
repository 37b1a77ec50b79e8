# vpcgate — make help lists the targets.
GO       ?= go
PKGS     ?= ./...
FUZZTIME ?= 20s
FUZZMINTIME ?= 10s
BENCH    ?= .

.PHONY: tidy-check help build test bench fuzz lint fmt-check vet check fixtures

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build the vpcgate binary into bin/
	$(GO) build -o bin/vpcgate ./cmd/vpcgate

test: ## run every test with the race detector
	$(GO) test -race $(PKGS)

bench: ## run the Go benchmarks (BENCH=regexp to select)
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(PKGS)

fuzz: ## run each fuzz target for FUZZTIME (minimization bounded by FUZZMINTIME); a target fails on a failing input it writes
	@set -e; out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$f"; \
	    before=$$(ls "$$dir/testdata/fuzz/$$f" 2>/dev/null | wc -l); \
	    if $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) $$pkg >"$$out" 2>&1; then \
	      cat "$$out"; continue; \
	    fi; \
	    cat "$$out"; after=$$(ls "$$dir/testdata/fuzz/$$f" 2>/dev/null | wc -l); \
	    if [ "$$after" -eq "$$before" ] && tail -n 5 "$$out" | grep -q '^    context deadline exceeded$$'; then \
	      echo "fuzz: $$f ran clean; its stop at -fuzztime raced Go's coordinator (go.dev/issue/75804, fixed in Go 1.27): no failing input was written, not a failure"; \
	    else \
	      exit 1; \
	    fi; \
	  done; \
	done

fmt-check: ## fail when gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi

vet: ## go vet
	$(GO) vet $(PKGS)

tidy-check: ## fail when go mod tidy would change go.mod or go.sum
	$(GO) mod tidy -diff

lint: fmt-check vet tidy-check ## format check, vet and go mod tidy check (staticcheck too when installed)
	@if command -v staticcheck >/dev/null; then staticcheck $(PKGS); fi

check: lint test ## what CI runs: lint then test

fixtures: ## rebuild the describe fixtures on moto (needs python3 with moto and the AWS CLI)
	bash testdata/describe/build.sh
