package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/norm"
	"github.com/caseload/caseload/signal"
	"github.com/caseload/caseload/weight"
)

// A store holds the team the page shows, with its weekly history, and
// keeps both in the data directory if there is one, reading the team
// file again when the case system exports a new one:
//
//	DIR/team.json                the team file (the embed example's format)
//	DIR/snapshots/2026-03-04.json one balance.Snapshot per date
//
// Each version of the team is an immutable *teamState; accepting steps
// of a proposal replaces it whole. A store is safe for concurrent use.
type store struct {
	dir string // "" keeps the built-in team in memory only

	mu      sync.Mutex // serializes changes and writes
	cur     *teamState // read with current
	mod     time.Time  // DIR/team.json's modification time when last read or written
	loadErr error      // why the last change of DIR/team.json could not be read
}

// A teamState is one version of the team with everything the page
// derives from it. It is never modified once built, so handlers share
// it without locks (a balance.Team is safe for concurrent use).
type teamState struct {
	file    teamFile
	problem balance.Problem
	weights map[string]weight.Weight
	team    *balance.Team
	history []balance.Snapshot // oldest first, all before file.AsOf
	signals []signal.Signal    // balance's and the pace warnings, sorted
	pace    *teamPace          // nil without production data
	version string             // names this version in the accept form
}

// A teamPace is the team's production against its norm, with each
// worker's expected curve through the year for the chart.
type teamPace struct {
	progress norm.TeamProgress
	year     civil.Period
	curves   map[string][]curvePoint // by worker
}

// A curvePoint is the services expected from the start of the norm year
// through Date.
type curvePoint struct {
	Date     civil.Date
	Expected norm.Services
}

// openStore loads the team: the built-in one with its built-in history
// when dir is empty, else DIR/team.json (written from the built-in team
// when missing) and the snapshots stored before its date. It stores
// the team's snapshot of its date.
func openStore(dir string) (*store, error) {
	s := &store{dir: dir}
	if dir == "" {
		f := builtinTeam()
		history, err := builtinHistory(f)
		if err != nil {
			return nil, err
		}
		if s.cur, err = newTeamState(f, history); err != nil {
			return nil, err
		}
		return s, nil
	}
	path := filepath.Join(dir, "team.json")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := writeFile(path, builtinTeam()); err != nil {
			return nil, err
		}
	}
	st, mod, err := s.load()
	if err != nil {
		return nil, err
	}
	s.cur, s.mod = st, mod
	return s, nil
}

// load reads DIR/team.json and the snapshots before its date, and
// stores the team's snapshot of its date. It returns the team file's
// modification time.
func (s *store) load() (*teamState, time.Time, error) {
	path := filepath.Join(s.dir, "team.json")
	fi, err := os.Stat(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	f, err := readTeamFile(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	history, err := readSnapshots(filepath.Join(s.dir, "snapshots"), f.AsOf)
	if err != nil {
		return nil, time.Time{}, err
	}
	st, err := newTeamState(f, history)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	return st, fi.ModTime(), s.saveSnapshot(st)
}

// current returns the team as it stands, read again from DIR/team.json
// if the case system exported a new one since.
func (s *store) current() *teamState {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	return s.cur
}

// loadError returns why the last export of the team file could not be
// read, or nil; the page then shows the team as it was.
func (s *store) loadError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadErr
}

// refresh reads the team again when DIR/team.json changed since it was
// last read or written. A file that cannot be read is tried again only
// once it changes again; the team stays as it was. s.mu must be held.
func (s *store) refresh() {
	if s.dir == "" {
		return
	}
	fi, err := os.Stat(filepath.Join(s.dir, "team.json"))
	if err != nil || fi.ModTime().Equal(s.mod) {
		return
	}
	s.mod = fi.ModTime()
	st, _, err := s.load()
	if err != nil {
		s.loadErr = err
		return
	}
	s.cur, s.loadErr = st, nil
}

// errStale reports an accept form for a version of the team, or a
// proposal, that is no longer the current one.
var errStale = errors.New("the team or the proposal changed since the page was loaded; look at the new proposal before accepting")

// accept carries out the placements and the first k steps of the
// proposal the page showed for version with the move budget maxMoves,
// and returns the new team. The proposal is computed again (it is
// deterministic) and must be the one shown: its fingerprint must match.
func (s *store) accept(ctx context.Context, version, fingerprint string, maxMoves, k int) (*teamState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh()
	cur := s.cur
	if version != cur.version {
		return nil, errStale
	}
	pr, err := cur.team.Propose(ctx, &balance.RebalanceOptions{MaxMoves: maxMoves})
	if err != nil || proposalFingerprint(pr) != fingerprint {
		return nil, errStale
	}
	f := handOver(cur.file, firstSteps(pr, k), pr.AsOf)
	st, err := newTeamState(f, cur.history)
	if err != nil {
		return nil, err
	}
	if err := s.save(st); err != nil {
		return nil, err
	}
	s.cur = st
	return st, nil
}

// firstSteps returns the moves of pr that come with accepting steps 1
// to k: the placements (step 0) and the voluntary moves of those steps.
// Every such prefix is a valid proposal no worse than the shorter one.
func firstSteps(pr *balance.Proposal, k int) []balance.Move {
	var moves []balance.Move
	for _, mv := range pr.Moves {
		if mv.Step <= k {
			moves = append(moves, mv)
		}
	}
	return moves
}

// handOver carries out accepted moves and returns the new team file.
// Today it gives each case its new owner, assigned on the given date,
// as balance.Proposal.Apply does. Once handovers land (a handover per
// move, with its own dates and state), this is the one function that
// turns the moves into handovers instead.
func handOver(f teamFile, moves []balance.Move, on civil.Date) teamFile {
	to := make(map[string]string, len(moves))
	for _, mv := range moves {
		to[mv.Case] = mv.To
	}
	f.Cases = slices.Clone(f.Cases)
	for i := range f.Cases {
		if w, ok := to[f.Cases[i].ID]; ok {
			f.Cases[i].Owner = w
			f.Cases[i].Assigned = on
		}
	}
	return f
}

// proposalFingerprint names a proposal's moves, so that an accept form
// can say which proposal it accepts.
func proposalFingerprint(pr *balance.Proposal) string {
	h := sha256.New()
	for _, mv := range pr.Moves {
		fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\n", mv.Step, mv.Case, mv.From, mv.To)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// save writes st's team file and its snapshot to the data directory,
// if any. s.mu must be held.
func (s *store) save(st *teamState) error {
	if s.dir == "" {
		return nil
	}
	path := filepath.Join(s.dir, "team.json")
	if err := writeFile(path, st.file); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	s.mod = fi.ModTime() // our own write is not a new export
	return s.saveSnapshot(st)
}

// saveSnapshot writes the snapshot of st's date to the data directory,
// if any: the weekly history grows by one file a date.
func (s *store) saveSnapshot(st *teamState) error {
	if s.dir == "" {
		return nil
	}
	snap := st.team.Snapshot()
	return writeFile(filepath.Join(s.dir, "snapshots", snap.Date.String()+".json"), snap)
}

// newTeamState derives everything the page shows from a team file and
// its history.
func newTeamState(f teamFile, history []balance.Snapshot) (*teamState, error) {
	p, weights, err := f.problem()
	if err != nil {
		return nil, err
	}
	t, err := balance.Prepare(p, nil)
	if err != nil {
		return nil, err
	}
	sigs, err := t.Signals(history, nil)
	if err != nil {
		return nil, err
	}
	st := &teamState{file: f, problem: p, weights: weights, team: t, history: history}
	if f.Production != nil {
		if st.pace, err = readPace(f); err != nil {
			return nil, err
		}
		for _, m := range st.pace.progress.Members {
			// The pace section shows every status; the signals list
			// keeps those worth a conversation.
			if s := m.Signal(); s.Severity > signal.Info {
				sigs = append(sigs, s)
			}
		}
		signal.Sort(sigs)
	}
	st.signals = sigs
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	st.version = hex.EncodeToString(sum[:8])
	return st, nil
}

// readPace reads the team's production against its norm on the team's
// date, and each worker's expected services week by week through the
// norm year.
func readPace(f teamFile) (*teamPace, error) {
	pd := f.Production
	done := map[string]norm.Services{}
	for _, c := range pd.Completed {
		done[c.Worker] += c.Services
	}
	var members []norm.Member
	for _, w := range f.Workers {
		members = append(members, norm.Member{Contract: w.Contract, Completed: done[w.Contract.Worker]})
	}
	tp, err := norm.TeamPace(pd.Norm, pd.Calendar, "team", members, f.AsOf)
	if err != nil {
		return nil, fmt.Errorf("production: %w", err)
	}
	year := pd.Calendar.Year
	tp2 := &teamPace{progress: tp, year: year, curves: map[string][]curvePoint{}}
	for _, w := range f.Workers {
		for d := year.From; ; d = d.AddDays(7) {
			if d.After(year.To) {
				d = year.To
			}
			pr, err := norm.Pace(pd.Norm, pd.Calendar, w.Contract, 0, d)
			if err != nil {
				return nil, fmt.Errorf("production: %w", err)
			}
			tp2.curves[w.Contract.Worker] = append(tp2.curves[w.Contract.Worker], curvePoint{d, pr.Expected})
			if d == year.To {
				break
			}
		}
	}
	return tp2, nil
}

// readTeamFile decodes a team file.
func readTeamFile(path string) (teamFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return teamFile{}, err
	}
	var f teamFile
	if err := json.Unmarshal(b, &f); err != nil {
		return teamFile{}, fmt.Errorf("%s: %w", path, err)
	}
	if f.AsOf.IsZero() {
		return teamFile{}, fmt.Errorf("%s: as_of is not set", path)
	}
	if f.Production != nil && f.Production.Calendar.Year.From.IsZero() {
		return teamFile{}, fmt.Errorf("%s: production.calendar.year is not set", path)
	}
	return f, nil
}

// readSnapshots reads the snapshots stored in dir and dated before
// asOf, oldest first. A missing dir is an empty history.
func readSnapshots(dir string, asOf civil.Date) ([]balance.Snapshot, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var h []balance.Snapshot
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		var s balance.Snapshot
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if s.Date.Before(asOf) {
			h = append(h, s)
		}
	}
	slices.SortFunc(h, func(a, b balance.Snapshot) int { return a.Date.Compare(b.Date) })
	return h, nil
}

// writeFile writes v to path as indented JSON, through a temporary file
// and a rename, so that a reader never sees half a file.
func writeFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
