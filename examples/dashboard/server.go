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
// are safe for concurrent use: the page reads an immutable teamState,
// the JSON service keeps no state at all.
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
	static, _ := fs.Sub(staticFS, "static") // a constant path: cannot fail
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("/api/score", s.apiScore)
	mux.HandleFunc("/api/rank", s.apiRank)
	mux.HandleFunc("/api/propose", s.apiPropose)
	mux.HandleFunc("/api/signals", s.apiSignals)
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
// case whose ranking to show (default the longest waiting); done, what
// the last accept did.
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
	switch q.Get("done") {
	case "":
	case "stale":
		v.Flash = "Nothing was accepted: " + errStale.Error() + "."
	default:
		v.Flash = "Accepted " + q.Get("done") + ". The page shows the team as it stands now."
	}
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
	return v, nil
}

// serveAccept carries out the placements and the first k steps of the
// proposal the page showed, then shows the page again. The form names
// the team's version and the proposal's fingerprint, so a stale page
// accepts nothing (and another site, which cannot read them, neither).
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
	done := "stale"
	if _, err := s.store.accept(ctx, r.PostForm.Get("version"), r.PostForm.Get("fingerprint"), budget, k); err == nil {
		done = "the placements"
		switch {
		case k == 1:
			done += " and step 1"
		case k > 1:
			done += fmt.Sprintf(" and steps 1 to %d", k)
		}
	} else if !errors.Is(err, errStale) {
		s.log.Printf("accept: %v", err)
		http.Error(w, "could not save the team: "+err.Error(), http.StatusInternalServerError)
		return
	}
	u := url.URL{Path: "/", RawQuery: url.Values{"moves": {strconv.Itoa(budget)}, "done": {done}}.Encode()}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}
