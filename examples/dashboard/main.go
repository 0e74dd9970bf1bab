// Command dashboard serves a team's page and a JSON service over the
// caseload library.
//
// The page is what a team leader and a worker open together on Monday
// morning: each worker's load against capacity, the week's early-warning
// signals, each worker's production pace through the year, the intake
// queue with the ranking of its first case, and a rebalance proposal
// whose first steps the team can accept. Charts are SVG drawn on the
// server, each with a text alternative; the page needs no JavaScript and
// no network, so it works offline.
//
// The JSON service answers POST /api/score, /api/rank, /api/propose and
// /api/signals in the library's own JSON types, so that a case system
// in any language can call it (see README.md).
//
// Run it with:
//
//	go run ./examples/dashboard                       # the built-in team on 127.0.0.1:8080
//	go run ./examples/dashboard -addr :9090 -data DIR # a team exported to DIR/team.json
//
// With -data, DIR/team.json is the embed example's team file (written
// from the built-in team when missing), with an optional production
// section, and the dashboard stores the team's weekly snapshots in
// DIR/snapshots, which its signals read trends from. A new team.json,
// exported by the case system, is read on the next request.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("dashboard: ")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

// run reads the flags in args, serves until ctx is done, and writes
// where it listens to w.
func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("dashboard", flag.ContinueOnError)
	fs.SetOutput(w)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `address`")
	dir := fs.String("data", "", "the team's data `directory`: team.json and snapshots/ (default: the built-in team, in memory)")
	maxBody := fs.Int64("max-body", 4<<20, "the largest JSON request body, in `bytes`")
	timeout := fs.Duration("propose-timeout", 2*time.Second, "the longest search for one proposal")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q; use -data DIR for a team", fs.Args())
	}
	st, err := openStore(*dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "serving the team of %s on http://%s/\n", st.current().file.AsOf, ln.Addr())
	return serve(ctx, ln, newServer(st, *maxBody, *timeout, log.New(os.Stderr, "dashboard: ", 0)))
}

// serve serves s on ln until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, ln net.Listener, s *server) error {
	hs := &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      s.proposeTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          s.log,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
