# AlgoSports backend. `make help` lists the commands.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SWIFT ?= swift

.PHONY: help run test deps build release proto proto-check leak-check openapi-check bench-rpc bench-edge bench-judge bench-games check-games coverage clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: deps ## Run the whole platform locally (builds release, starts every service; Ctrl-C stops)
	@tools/run-local.sh

test: deps ## Run every test (starts its own throwaway servers)
	@tools/test.sh

deps: ## Install the Debian packages the build and tests need (only what is missing)
	@tools/install-deps.sh

build: ## Debug build of everything
	$(SWIFT) build

release: ## Release build of everything (Swift runtime linked statically, as every release build here)
	@tools/swift-release.sh

proto: ## Regenerate the protobuf-c C code and the Swift messages/clients from proto/
	@tools/gen-proto.sh

proto-check: ## Fail when the committed generated code is stale
	@tools/check-proto.sh

leak-check: ## Round-trip every message under valgrind; fails on a definite leak
	@tools/leak-check.sh

openapi-check: ## Validate Edge's OpenAPI 3.1 document (openapi-spec-validator)
	@tools/check-openapi.sh

bench-rpc: ## Benchmark our RPC against a raw SwiftNIO echo (release build)
	@tools/bench-rpc.sh

bench-edge: ## Benchmark GET /api/v1/users/{username} through Edge against a bare Hummingbird route (wrk)
	@tools/bench-edge.sh

bench-judge: ## Benchmark judging: sandbox overhead over a bare exec, then C A+B submissions judged per second end to end (release build, root)
	@tools/bench-judge.sh

check-games: ## Play the shipped games with the reference harness (tools/play-match.py) and check the outcomes
	@games/check.sh

bench-games: ## Benchmark games: the harness's per-move round trip against a raw pipe, Connect Four matches per second (release build, root)
	@tools/bench-games.sh

coverage: ## Run the tests with coverage and print a line-coverage report (llvm-cov)
	@tools/coverage.sh

clean: ## Remove build output
	rm -rf .build .build-*
