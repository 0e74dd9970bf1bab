package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caseload/caseload/balance"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// funcs returns the template functions: dict passes named values to a
// nested template.
func funcs() template.FuncMap {
	return template.FuncMap{
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
}

// maxBudget is the largest move budget the page's form accepts; the
// JSON service takes any.
const maxBudget = 50

// A server serves the team's page and the JSON service. Its handlers
// are safe for concurrent use: they read an immutable teamState, and
// offering steps or answering a handover replaces it under the store's
// lock; the rest of the JSON service keeps no state at all.
type server struct {
	store          *store
	page           *template.Template
	maxBody        int64         // bytes of a JSON request body
	proposeTimeout time.Duration // the longest search of one proposal
	log            *log.Logger
}

// newServer returns a server over st.
func newServer(st *store, maxBody int64, proposeTimeout time.Duration, logger *log.Logger) *server {
	return &server{
		store:          st,
		page:           template.Must(template.New("page").Funcs(funcs()).ParseFS(templateFS, "templates/*.html")),
		maxBody:        maxBody,
		proposeTimeout: proposeTimeout,
		log:            logger,
	}
}

// handler routes the requests.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.HandleFunc("POST /accept", s.serveAccept)
	mux.HandleFunc("POST /handovers/{id}", s.serveAnswer)
	static, _ := fs.Sub(staticFS, "static") // a constant path: cannot fail
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("/api/score", s.apiScore)
	mux.HandleFunc("/api/rank", s.apiRank)
	mux.HandleFunc("/api/propose", s.apiPropose)
	mux.HandleFunc("/api/signals", s.apiSignals)
	mux.HandleFunc("/api/handovers", s.apiHandovers)
	mux.HandleFunc("/api/handovers/{id}/{action}", s.apiAnswer)
	mux.HandleFunc("/api/proposal", s.apiProposal)
	mux.HandleFunc("/api/accept", s.apiAccept)
	mux.HandleFunc("/api/audit", s.apiAudit)
	return s.guard(mux)
}

// guard sets the headers every answer carries and turns a panic, which
// would be a bug (the library does not panic on data), into a 500
// without taking the server down.
func (s *server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy",
			"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// servePage renders the team's page. Query parameters: moves, the move
// budget of the proposal (default the team file's); case, the queued
// case whose ranking to show (default the longest waiting); done, n,
// skipped and h, what the last form did (see flash).
func (s *server) servePage(w http.ResponseWriter, r *http.Request) {
	st := s.store.current()
	q := r.URL.Query()
	budget := st.file.MaxMoves
	if v := q.Get("moves"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxBudget {
			http.Error(w, fmt.Sprintf("moves must be a whole number from 0 to %d", maxBudget), http.StatusBadRequest)
			return
		}
		budget = n
	}
	v, err := s.view(r.Context(), st, budget, q.Get("case"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.store.loadError(); err != nil {
		v.Warning = "A new team file could not be read, so this is the team as it was: " + err.Error()
	}
	v.Flash = flash(st, q)
	var b bytes.Buffer
	if err := s.page.ExecuteTemplate(&b, "page.html", v); err != nil {
		s.log.Printf("page: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// view builds the page of st with a proposal for the move budget and
// the ranking of the queued case selected (the first when empty).
func (s *server) view(ctx context.Context, st *teamState, budget int, selected string) (*pageView, error) {
	im := st.team.Score()
	var utils []float64
	for _, wl := range im.Workers {
		utils = append(utils, wl.Utilization)
	}
	v := &pageView{AsOf: st.file.AsOf, Model: st.file.Model.Name, Scale: newScale(im.Bounds, utils...)}
	v.Bars = loadBars(st, im, v.Scale)
	v.Signals = newSignals(st.signals)
	if st.pace != nil {
		v.Pace = newPace(st.pace)
	}
	v.Queue = queue(st, selected)
	for _, row := range v.Queue {
		if !row.Selected {
			continue
		}
		for _, c := range st.problem.Cases {
			if c.ID == row.Case {
				rk, err := st.team.Rank(c)
				if err != nil {
					return nil, err
				}
				v.Ranking = newRanking(rk)
			}
		}
	}
	if selected != "" && v.Ranking == nil {
		return nil, fmt.Errorf("case %q is not in the queue", selected)
	}
	ctx, cancel := context.WithTimeout(ctx, s.proposeTimeout)
	defer cancel()
	pr, err := st.team.Propose(ctx, &balance.RebalanceOptions{MaxMoves: budget})
	if err != nil && !isStop(err) {
		return nil, err
	}
	v.Proposal = newProposal(st, pr, err, budget, s.proposeTimeout)
	v.Handover = newHandovers(st)
	v.Audit = newFindings(st.audit)
	v.AuditSum = fmt.Sprintf("%d open cases in the case system's register, %d listed on the team, %s.",
		st.audit.Open, st.audit.Listed, plural(len(st.audit.Findings), "finding"))
	return v, nil
}

// serveAccept offers the placements and the first k steps of the
// proposal the page showed as handovers, then shows the page again.
// The form names the team's version and the proposal's fingerprint, so
// a stale page accepts nothing (and another site, which cannot read
// them, neither).
func (s *server) serveAccept(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	budget, err1 := strconv.Atoi(r.PostForm.Get("moves"))
	k, err2 := strconv.Atoi(r.PostForm.Get("k"))
	if err := errors.Join(err1, err2); err != nil || budget < 0 || budget > maxBudget || k < 0 {
		http.Error(w, "bad form: moves and k must be whole numbers", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.proposeTimeout)
	defer cancel()
	q := url.Values{"moves": {strconv.Itoa(budget)}, "done": {"stale"}}
	_, offered, skipped, err := s.store.offer(ctx, r.PostForm.Get("version"), r.PostForm.Get("fingerprint"), budget, k)
	switch {
	case err == nil:
		q.Set("done", "offered")
		q.Set("n", strconv.Itoa(len(offered)))
		q.Set("skipped", strconv.Itoa(len(skipped)))
	case !errors.Is(err, errStale):
		s.log.Printf("accept: %v", err)
		http.Error(w, "could not save the team: "+err.Error(), http.StatusInternalServerError)
		return
	}
	u := url.URL{Path: "/", RawQuery: q.Encode(), Fragment: "handovers"}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// serveAnswer records the page's answer to a pending handover (form
// fields action, note and the team's version), then shows the page
// again with what happened.
func (s *server) serveAnswer(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	action, ok := actions[r.PostForm.Get("action")]
	if !ok {
		http.Error(w, "bad form: action must be accept, reject or revoke", http.StatusBadRequest)
		return
	}
	id := r.PathValue("id")
	version := r.PostForm.Get("version")
	if version == "" { // the page's form always names it; nothing else may answer here
		http.Error(w, "bad form: no version", http.StatusBadRequest)
		return
	}
	e := balance.HandoverEvent{Handover: id, Action: action, Note: strings.TrimSpace(r.PostForm.Get("note"))}
	q := url.Values{"done": {string(action)}, "h": {id}}
	if _, _, err := s.store.answer(version, e); err != nil {
		switch {
		case errors.Is(err, errStale):
			q.Set("done", "stale")
		case errors.Is(err, balance.ErrNoReason):
			q.Set("done", "noreason")
		case handoverStatus(err) != http.StatusBadRequest:
			q.Set("done", "refused")
		default:
			s.log.Printf("answer %s: %v", id, err)
			http.Error(w, "could not record the answer: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	u := url.URL{Path: "/", RawQuery: q.Encode(), Fragment: "handovers"}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// flash says what the last form did, from the query of the page it
// redirected to: done is "stale", "offered" (with the numbers n of
// handovers and skipped of moves not offered), an answer ("accept",
// "reject", "revoke") to the handover h, "noreason" or "refused". A
// handover the team does not have is not named.
func flash(st *teamState, q url.Values) string {
	h := q.Get("h")
	var hv *balance.Handover
	for i := range st.handovers {
		if st.handovers[i].ID == h {
			hv = &st.handovers[i]
		}
	}
	if hv == nil && q.Get("done") != "stale" && q.Get("done") != "offered" {
		return ""
	}
	switch q.Get("done") {
	case "stale":
		return "Nothing was recorded: " + errStale.Error() + "."
	case "offered":
		n, _ := strconv.Atoi(q.Get("n"))
		skipped, _ := strconv.Atoi(q.Get("skipped"))
		s := fmt.Sprintf("Offered %s. Each case stays with its sender, and counts there, until its receiver accepts.", plural(n, "handover"))
		if skipped > 0 {
			s += fmt.Sprintf(" %s not offered: its case is in a pending handover already; answer that one first.", plural(skipped, "move"))
		}
		return s
	case string(balance.ActionAccept):
		return fmt.Sprintf("Handover %s accepted: %s now with %s.", h, casesText(*hv), hv.To)
	case string(balance.ActionReject):
		return fmt.Sprintf("Handover %s rejected: %s stays with %s.", h, casesText(*hv), fromText(hv.From))
	case string(balance.ActionRevoke), string(balance.ActionExpire):
		return fmt.Sprintf("Handover %s withdrawn: %s stays with %s.", h, casesText(*hv), fromText(hv.From))
	case "noreason":
		return fmt.Sprintf("Handover %s is still pending: a rejection needs the receiver's reason.", h)
	case "refused":
		return fmt.Sprintf("Handover %s could not take that answer as things stand; see the audit below.", h)
	}
	return ""
}
