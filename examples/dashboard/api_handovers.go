package main

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
)

// Handovers and the audit in the JSON service. Each endpoint has two
// faces: GET (and the POSTs under /api/handovers/ and /api/accept) reads
// or changes the dashboard's own team, the one the page shows; POST
// /api/handovers and POST /api/audit compute on the caller's data and
// keep nothing, like the other endpoints, for a case system that keeps
// its own handover log.

// A teamHandovers is the dashboard team's handovers: every one, in the
// order offered, with what the pending ones would bring each receiver
// and the late ones' signals. Version names the team as it stands, for
// /api/accept.
type teamHandovers struct {
	AsOf      civil.Date             `json:"as_of"`
	Version   string                 `json:"version"`
	Handovers []balance.Handover     `json:"handovers"`
	Incoming  []balance.IncomingLoad `json:"incoming"`
	Signals   []signal.Signal        `json:"signals"`
}

// A handoversRequest asks where the handovers of the caller's log
// stand. Problem is the team as it stood before the log's first event;
// AsOf, the day to age pending handovers on, defaults to the problem's.
type handoversRequest struct {
	Problem *balance.Problem         `json:"problem"`
	Log     balance.HandoverLog      `json:"log"`
	Team    string                   `json:"team,omitempty"`
	AsOf    civil.Date               `json:"as_of,omitzero"`
	Options *balance.HandoverOptions `json:"options,omitempty"`
}

// A handoversResponse is the log replayed: every handover, what the
// pending ones would bring each receiver (not counted in any load), the
// late ones' signals, and the problem after the log, with each accepted
// handover's cases on its receiver.
type handoversResponse struct {
	Handovers []balance.Handover     `json:"handovers"`
	Incoming  []balance.IncomingLoad `json:"incoming"`
	Signals   []signal.Signal        `json:"signals"`
	Problem   balance.Problem        `json:"problem"`
}

// An answerRequest answers one of the team's pending handovers. By
// names who acted (empty: the party the action belongs to); Note is
// their words, required for a rejection.
type answerRequest struct {
	By   string `json:"by,omitempty"`
	Note string `json:"note,omitempty"`
}

// An answerResponse is the handover after the answer, and the team's
// new version.
type answerResponse struct {
	Handover balance.Handover `json:"handover"`
	Version  string           `json:"version"`
}

// A teamProposal is the proposal the page shows for a move budget, with
// what /api/accept needs to offer its steps.
type teamProposal struct {
	proposeResponse
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
}

// An acceptRequest offers the placements and the first K steps of the
// team's proposal for the move budget MaxMoves, named by the Version
// and Fingerprint that /api/proposal gave.
type acceptRequest struct {
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
	MaxMoves    int    `json:"max_moves"`
	K           int    `json:"k"`
}

// An acceptResponse lists the handovers offered, and the moves not
// offered because their case is in a pending handover already.
type acceptResponse struct {
	Offered []balance.Handover `json:"offered"`
	Skipped []balance.Move     `json:"skipped"`
	Version string             `json:"version"`
}

// An auditRequest asks for the library's audit of the caller's data.
type auditRequest struct {
	AsOf    civil.Date            `json:"as_of"`
	Open    []balance.OpenCase    `json:"open"`
	Teams   []balance.TeamProblem `json:"teams"`
	Pending []balance.Handover    `json:"pending,omitempty"`
	Options *balance.AuditOptions `json:"options,omitempty"`
}

// apiHandovers answers GET with the team's handovers, and POST with the
// caller's log replayed on the caller's problem.
func (s *server) apiHandovers(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		st := s.store.current()
		writeJSON(w, http.StatusOK, teamHandovers{AsOf: st.file.AsOf, Version: st.version,
			Handovers: nonNil(st.handovers), Incoming: st.incoming, Signals: lateSignals(st.signals)})
		return
	}
	var req handoversRequest
	if !s.decodeOr(w, r, &req, "GET, POST") || !needProblem(w, req.Problem) {
		return
	}
	hs, err := req.Log.Handovers()
	if err != nil {
		badInput(w, err)
		return
	}
	after, err := req.Log.Apply(*req.Problem, req.Team)
	if err != nil {
		badInput(w, err)
		return
	}
	asOf := req.AsOf
	if asOf.IsZero() {
		asOf = req.Problem.AsOf
	}
	sigs, err := balance.HandoverSignals(hs, asOf, req.Options)
	if err != nil {
		badInput(w, err)
		return
	}
	// Incoming weighs the pending cases on the problem after the log,
	// where they still are with their senders.
	writeJSON(w, http.StatusOK, handoversResponse{Handovers: nonNil(hs),
		Incoming: balance.Incoming(after, hs, req.Team), Signals: nonNil(sigs), Problem: after})
}

// apiAnswer records an answer (accept, reject, revoke, expire) to one
// of the team's pending handovers, dated on the team's date.
func (s *server) apiAnswer(w http.ResponseWriter, r *http.Request) {
	action, ok := actions[r.PathValue("action")]
	if !ok {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such action: use accept, reject, revoke or expire"})
		return
	}
	var req answerRequest
	if !needJSON(w, r) || !s.decode(w, r, &req) {
		return
	}
	st, h, err := s.store.answer("", balance.HandoverEvent{Handover: r.PathValue("id"), Action: action, By: req.By, Note: req.Note})
	if err != nil {
		writeJSON(w, handoverStatus(err), errorBody{Error: "not recorded", Items: faults(err)})
		return
	}
	writeJSON(w, http.StatusOK, answerResponse{Handover: h, Version: st.version})
}

// apiProposal answers GET ?moves=N with the team's proposal for that
// move budget (default the team file's), as the page shows it.
func (s *server) apiProposal(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "use GET, with ?moves=N for the move budget"})
		return
	}
	st := s.store.current()
	budget := st.file.MaxMoves
	if v := r.URL.Query().Get("moves"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < -1 {
			writeJSON(w, http.StatusBadRequest, errorBody{Error: "bad input", Items: []errorItem{{Field: "moves", Error: "not a whole number of moves, -1 for no limit"}}})
			return
		}
		budget = n
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.proposeTimeout)
	defer cancel()
	pr, err := st.team.Propose(ctx, &balance.RebalanceOptions{MaxMoves: budget})
	if err != nil && !isStop(err) {
		badInput(w, err)
		return
	}
	writeJSON(w, http.StatusOK, teamProposal{proposeResponse: proposeResponse{Proposal: pr, Status: proposalStatus(pr, err)},
		Version: st.version, Fingerprint: proposalFingerprint(pr)})
}

// apiAccept offers the placements and the first k steps of the team's
// proposal as pending handovers: the JSON twin of the page's form.
func (s *server) apiAccept(w http.ResponseWriter, r *http.Request) {
	var req acceptRequest
	if !needJSON(w, r) || !s.decode(w, r, &req) {
		return
	}
	if req.K < 0 {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "bad input", Items: []errorItem{{Field: "k", Error: "negative"}}})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.proposeTimeout)
	defer cancel()
	st, offered, skipped, err := s.store.offer(ctx, req.Version, req.Fingerprint, req.MaxMoves, req.K)
	if errors.Is(err, errStale) {
		writeJSON(w, http.StatusConflict, errorBody{Error: errStale.Error()})
		return
	}
	if err != nil {
		writeJSON(w, handoverStatus(err), errorBody{Error: "not recorded", Items: faults(err)})
		return
	}
	writeJSON(w, http.StatusOK, acceptResponse{Offered: nonNil(offered), Skipped: nonNil(skipped), Version: st.version})
}

// apiAudit answers GET with the audit of the team, its register of
// open cases and its pending handovers, and POST with the audit of the
// caller's data.
func (s *server) apiAudit(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		writeJSON(w, http.StatusOK, s.store.current().audit)
		return
	}
	var req auditRequest
	if !s.decodeOr(w, r, &req, "GET, POST") {
		return
	}
	rep, err := balance.Audit(req.AsOf, req.Open, req.Teams, req.Pending, req.Options)
	if err != nil {
		badInput(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// decodeOr is decode for an endpoint that also answers the methods in
// allow.
func (s *server) decodeOr(w http.ResponseWriter, r *http.Request, v any, allow string) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", allow)
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "use " + allow})
		return false
	}
	return s.decode(w, r, v)
}

// needJSON answers 415 unless r says its body is JSON. The endpoints
// that change the team require it: a browser sends JSON to another
// site only after asking that site first, which this server never
// allows, so another site's page cannot answer a handover.
func needJSON(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		return true // decode answers 405
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, errorBody{Error: "send the body as Content-Type: application/json"})
		return false
	}
	return true
}

// lateSignals keeps the signals of late handovers.
func lateSignals(sigs []signal.Signal) []signal.Signal {
	out := []signal.Signal{}
	for _, s := range sigs {
		if s.Code == balance.SignalHandoverLate {
			out = append(out, s)
		}
	}
	return out
}

// nonNil returns s, or an empty slice for nil, so that JSON has [] for
// none.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
