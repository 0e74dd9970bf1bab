package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/signal"
)

// The JSON service speaks the library's own JSON types, so that a case
// system in any language can call it: each request names its parts
// (problem, case, options, history, thresholds) and each answer is a
// balance or signal value. See README.md for the endpoints.

// A scoreRequest asks how uneven the team's current assignment is.
type scoreRequest struct {
	Problem *balance.Problem `json:"problem"`
	Options *balance.Options `json:"options,omitempty"`
}

// A rankRequest asks who should take Case.
type rankRequest struct {
	Problem *balance.Problem `json:"problem"`
	Case    *balance.Case    `json:"case"`
	Options *balance.Options `json:"options,omitempty"`
}

// A proposeRequest asks for a rebalance. TimeoutMS, in milliseconds,
// shortens the server's deadline for the search; zero means the
// server's deadline, and a longer one is cut to it.
type proposeRequest struct {
	Problem   *balance.Problem          `json:"problem"`
	Options   *balance.RebalanceOptions `json:"options,omitempty"`
	TimeoutMS int                       `json:"timeout_ms,omitempty"`
}

// A proposeResponse is the proposal with its status.
type proposeResponse struct {
	*balance.Proposal
	// Status is "optimal", "within-gap" or "stopped-early" (see
	// proposalStatus).
	Status string `json:"status"`
}

// A signalsRequest asks for the team's early-warning signals, given the
// snapshots the case system stored in earlier weeks.
type signalsRequest struct {
	Problem    *balance.Problem    `json:"problem"`
	History    []balance.Snapshot  `json:"history,omitempty"`
	Thresholds *balance.Thresholds `json:"thresholds,omitempty"`
	Options    *balance.Options    `json:"options,omitempty"`
}

// A signalsResponse is the signals, most severe first, and the team's
// snapshot of today for the caller to store in its history.
type signalsResponse struct {
	Signals  []signal.Signal  `json:"signals"`
	Snapshot balance.Snapshot `json:"snapshot"`
}

// An errorBody is the answer to bad input: a sentence, and one item per
// fault, naming the field and the worker or case where known.
type errorBody struct {
	Error string      `json:"error"`
	Items []errorItem `json:"items,omitempty"`
}

// An errorItem is one fault: for invalid data a balance.InputError's
// Field, ID and Err message.
type errorItem struct {
	Field string `json:"field,omitempty"`
	ID    string `json:"id,omitempty"`
	Error string `json:"error"`
}

func (s *server) apiScore(w http.ResponseWriter, r *http.Request) {
	var req scoreRequest
	if !s.decode(w, r, &req) || !needProblem(w, req.Problem) {
		return
	}
	im, err := balance.Score(*req.Problem, req.Options)
	if err != nil {
		badInput(w, err)
		return
	}
	writeJSON(w, http.StatusOK, im)
}

func (s *server) apiRank(w http.ResponseWriter, r *http.Request) {
	var req rankRequest
	if !s.decode(w, r, &req) || !needProblem(w, req.Problem) {
		return
	}
	if req.Case == nil {
		missing(w, "case")
		return
	}
	rk, err := balance.Rank(*req.Problem, *req.Case, req.Options)
	if err != nil {
		badInput(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rk)
}

func (s *server) apiPropose(w http.ResponseWriter, r *http.Request) {
	var req proposeRequest
	if !s.decode(w, r, &req) || !needProblem(w, req.Problem) {
		return
	}
	if req.TimeoutMS < 0 {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "bad input", Items: []errorItem{{Field: "timeout_ms", Error: "negative timeout"}}})
		return
	}
	timeout := s.proposeTimeout
	if t := time.Duration(req.TimeoutMS) * time.Millisecond; t > 0 && t < timeout {
		timeout = t
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	pr, err := balance.Propose(ctx, *req.Problem, req.Options)
	if err != nil && !isStop(err) {
		badInput(w, err)
		return
	}
	if pr == nil { // stopped before any complete proposal: not expected
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "the search stopped before it had a proposal; try a longer timeout_ms"})
		return
	}
	writeJSON(w, http.StatusOK, proposeResponse{Proposal: pr, Status: proposalStatus(pr, err)})
}

func (s *server) apiSignals(w http.ResponseWriter, r *http.Request) {
	var req signalsRequest
	if !s.decode(w, r, &req) || !needProblem(w, req.Problem) {
		return
	}
	t, err := balance.Prepare(*req.Problem, req.Options)
	if err != nil {
		badInput(w, err)
		return
	}
	sigs, err := t.Signals(req.History, req.Thresholds)
	if err != nil {
		badInput(w, err)
		return
	}
	if sigs == nil {
		sigs = []signal.Signal{}
	}
	writeJSON(w, http.StatusOK, signalsResponse{Signals: sigs, Snapshot: t.Snapshot()})
}

// isStop reports whether err says that Propose stopped at its deadline
// or because the caller went away, with the best proposal so far.
func isStop(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// proposalStatus says how good a proposal is: "stopped-early" when the
// search ran out of time (err from Propose), "optimal" when it reaches
// its proven bound, and "within-gap" otherwise, with the gap in
// Proposal.Gap. It is the one place to read Proposal.Status instead
// once the library reports it.
func proposalStatus(pr *balance.Proposal, err error) string {
	switch {
	case isStop(err) || pr.Status == balance.StatusStopped:
		return "stopped-early"
	case pr.Status == balance.StatusOptimal:
		return "optimal"
	default:
		return "within-gap"
	}
}

// decode reads the JSON body of a POST into v, strictly: unknown fields,
// trailing data and an empty body are errors. It answers the request
// itself and returns false when the body is too large (413) or bad (400).
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "use POST with a JSON body"})
		return false
	}
	body := http.MaxBytesReader(w, r.Body, s.maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			err = errors.New("data after the JSON value")
		} else if _, e := dec.Token(); e != io.EOF && e != nil {
			err = e
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooBig):
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{
			Error: fmt.Sprintf("the request body is larger than %d bytes", tooBig.Limit)})
	case errors.Is(err, io.EOF):
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "empty body: send a JSON object"})
	default:
		badInput(w, err)
	}
	return false
}

// needProblem answers 400 when the request has no problem.
func needProblem(w http.ResponseWriter, p *balance.Problem) bool {
	if p == nil {
		missing(w, "problem")
		return false
	}
	return true
}

// missing answers 400 for a request without a required part.
func missing(w http.ResponseWriter, field string) {
	writeJSON(w, http.StatusBadRequest, errorBody{Error: "bad input", Items: []errorItem{{Field: field, Error: "missing"}}})
}

// badInput answers 400 with every fault in err.
func badInput(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusBadRequest, errorBody{Error: "bad input", Items: faults(err)})
}

// faults lists the faults in err, one item per balance.InputError in
// the tree of joined errors, and one for any other error (a JSON syntax
// or type error, with its location).
func faults(err error) []errorItem {
	var (
		ie  *balance.InputError
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var items []errorItem
		for _, e := range j.Unwrap() {
			items = append(items, faults(e)...)
		}
		return items
	}
	switch {
	case errors.As(err, &ie):
		return []errorItem{{Field: ie.Field, ID: ie.ID, Error: ie.Err.Error()}}
	case errors.As(err, &syn):
		return []errorItem{{Error: fmt.Sprintf("invalid JSON at byte %d: %v", syn.Offset, syn)}}
	case errors.As(err, &typ):
		return []errorItem{{Field: typ.Field, Error: fmt.Sprintf("expected %v, got JSON %s", typ.Type, typ.Value)}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return []errorItem{{Error: "the JSON ends too early"}}
	}
	return []errorItem{{Error: err.Error()}}
}

// writeJSON writes v as the JSON answer with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil { // the library's types always encode; a bug if not
		status, b = http.StatusInternalServerError, []byte(`{"error": "internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
