# The project's commands. `make test` is the one test command: it installs
# moto and Chromium when they are missing (.ci/deps.sh), then runs the whole
# suite. CI (.ci/run and the ci workflow) runs `make lint cross test`.
#
#   make test         the whole suite (moto, headless Chromium, built binaries)
#   make test-short   go test -short ./... (no emulator, no browser, no builds)
#   make lint         gofmt, go vet, staticcheck, actionlint
#   make cross        build labctl and labplan for every release target
#   make plan         the offline plan of a stack (STACK=dev, FORMAT=text)
#   make build        labctl and labplan into bin/
#   make release-check  goreleaser check of .goreleaser.yaml (slow first time)

GO ?= go
STACK ?= dev
FORMAT ?= text
STATICCHECK_VERSION := v0.8.2
GORELEASER_VERSION := v2.15.1

.PHONY: all test test-short deps lint fmt-check vet staticcheck actionlint cross plan build release-check

all: lint test

deps:
	bash .ci/deps.sh

test: deps
	$(GO) test ./...

test-short:
	$(GO) test -short ./...

# Every check runs even when one fails, so one run lists every finding.
lint:
	@status=0; \
	$(MAKE) --no-print-directory fmt-check || status=1; \
	$(MAKE) --no-print-directory vet || status=1; \
	$(MAKE) --no-print-directory staticcheck || status=1; \
	$(MAKE) --no-print-directory actionlint || status=1; \
	exit $$status

fmt-check:
	@echo "== gofmt"
	@unformatted=$$(git ls-files -z '*.go' | xargs -0 gofmt -l); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

vet:
	@echo "== go vet"
	$(GO) vet ./...

# `go run pkg@version` builds outside this module: go.mod stays as it is.
staticcheck:
	@echo "== staticcheck $(STATICCHECK_VERSION)"
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

actionlint:
	@echo "== actionlint"
	bash .ci/actionlint.sh

cross:
	@echo "== cross-compile"
	bash .ci/cross.sh

plan:
	$(GO) run ./cmd/labplan --config Pulumi.$(STACK).yaml --format $(FORMAT)

build:
	$(GO) build -o bin/ ./cmd/labctl ./cmd/labplan

release-check:
	$(GO) run github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION) check
