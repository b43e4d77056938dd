# Muster: `make help` lists the targets.
GO      ?= go
N       ?= 100000
PKGS    ?= ./...

.PHONY: help run test lint bench build fmt

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: ## run Muster end to end on the embedded defaults (SQLite, local Redis, local outbox, a demo campaign)
	@scripts/ensure.sh redis
	$(GO) run ./cmd/muster run --demo

test: ## run every test against real Redis (a private server per test process) and SQLite, with the race detector
	@scripts/ensure.sh redis-server cc chromium
	$(GO) test -race -count=1 $(PKGS)

lint: ## go vet, gofmt and golangci-lint
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1)
	@command -v golangci-lint >/dev/null 2>&1 || { echo "golangci-lint not installed: go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@latest"; exit 1; }
	golangci-lint run ./...

bench: ## the whole pipeline for N supporters (N=100000 by default) into a local SMTP sink and Twilio stand-in
	@scripts/ensure.sh redis
	$(GO) run ./cmd/musterbench -n $(N)

build: ## build bin/muster
	$(GO) build -o bin/muster ./cmd/muster

fmt: ## format the code
	gofmt -w $$(git ls-files '*.go')
