// Command verifyd is the eKYC verification service a bank would deploy: a
// phone app reads a card's chip (or scans its QR code or MRZ) and posts
// what it read; verifyd decides whether the card is genuine and whether it
// agrees with the person.
//
//	go run ./examples/verifyd -demo
//
// starts it on 127.0.0.1:8080 with a synthetic card and its trust anchors
// written to a temporary folder (the start-up log says where; it is removed
// when the service stops), so
//
//	curl -s --json @DIR/request.json localhost:8080/v1/cards/verify
//
// verifies a card at once, and
//
//	curl -s --json "{\"cards\":[$(cat DIR/request.json),$(cat DIR/request.json)]}" localhost:8080/v1/cards/verify-batch
//
// verifies a batch of them (up to 128 cards, one result per card in order,
// a card the single endpoint would refuse refused in its place): a
// back-end re-verifying stored cards pays HTTP's fixed cost once per batch.
//
// In production, pass -trust for each CSCA certificate or master list (chip
// files), -ml-root for the root each master list's signer must chain to (a
// list without one is refused), and -issuer-key for each Ed25519 issuer key
// (compact signed cards).
//
// The service is built only on the SDK's public API; it logs one line per
// request (method, route, status, duration, the server's own ID) and never
// personal data. GET /openapi.yaml serves the OpenAPI 3.1 description of
// the API (openapi.yaml in this folder).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// multiFlag collects a repeated string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, nil))
}

// run starts the service and blocks until ctx ends or SIGINT/SIGTERM
// arrives, then shuts down gracefully, letting in-flight requests finish.
// ready, when not nil, receives the listening address.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- string) int {
	fs := flag.NewFlagSet("verifyd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		addr       = fs.String("addr", "127.0.0.1:8080", "listen address")
		demo       = fs.Bool("demo", false, "issue a synthetic card and trust it (for trying the service)")
		returnFull = fs.Bool("return-number", false, "answer with the full personal number instead of a masked one")
		maxConc    = fs.Int("max-verifications", 0, "verifications running at once (0 = 4 x CPUs)")
		trust      multiFlag
		mlRoots    multiFlag
		issuerKeys multiFlag
	)
	fs.Var(&trust, "trust", "CSCA certificate (PEM or DER) or CSCA master list (.ml, needs -ml-root); repeatable")
	fs.Var(&mlRoots, "ml-root", "root certificate (PEM or DER) a -trust master list's signer must chain to; repeatable")
	fs.Var(&issuerKeys, "issuer-key", "Ed25519 issuer public key for compact cards (PEM PKIX); repeatable")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	log := slog.New(newLineHandler(stdout))

	cfg := config{returnNumber: *returnFull, maxConcurrent: *maxConc}
	var demoDir string
	if *demo {
		var err error
		if demoDir, err = os.MkdirTemp("", "verifyd-demo-"); err != nil {
			log.Error("demo setup failed", "err", err)
			return 1
		}
		// The folder lives as long as the service: removed on every exit
		// of run, clean or not.
		defer os.RemoveAll(demoDir)
		if err := setupDemo(&cfg, demoDir); err != nil {
			log.Error("demo setup failed", "err", err)
			return 1
		}
		log.Info("demo card issued", "dir", demoDir)
	}
	if err := cfg.loadTrust(trust, mlRoots, issuerKeys); err != nil {
		log.Error("loading trust failed", "err", err)
		return 1
	}

	srv := &http.Server{
		Handler:           newServer(cfg, log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen failed", "err", err)
		return 1
	}
	log.Info("listening", "addr", ln.Addr().String())
	if demoDir != "" {
		log.Info("try the demo card", "curl", fmt.Sprintf("curl -s --json @%s/request.json http://%s/v1/cards/verify", demoDir, ln.Addr()))
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		log.Error("server stopped", "err", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown incomplete", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}
