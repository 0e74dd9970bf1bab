package main

import (
	"context"
	"math"
	"slices"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// The office's own records, as its database keeps them.

// A Caseworker is a member of the office's staff.
type Caseworker struct {
	// Login names the caseworker.
	Login string
	// Hours is the time for casework, in hours per week, kept in
	// quarter hours and at most 60; zero means none.
	Hours float64
	// Languages lists the languages the caseworker works in.
	Languages []string
	// Away marks a caseworker who is absent today.
	Away bool
	// MaxFiles is the most open files the caseworker may carry; zero
	// means no limit.
	MaxFiles int
}

// A File is one open file.
type File struct {
	// Number names the file.
	Number string
	// Hours is the expected work, in hours per week, kept in quarter
	// hours; zero means none.
	Hours float64
	// Language is the language the file needs, if any.
	Language string
	// Handler is the login of the caseworker who holds the file; empty
	// means the file waits for one.
	Handler string
	// Locked keeps the file with its handler.
	Locked bool
	// Household names the family the file belongs to, if any: the files
	// of a household belong with one caseworker.
	Household string
}

// An Office is the staff and the open files on a date.
type Office struct {
	Date  civil.Date
	Staff []Caseworker
	Files []File
}

// problem is the adapter: it copies the office's records into a
// balance.Problem. The office's MaxFiles of zero means no limit, while
// balance's caseload norm of zero means no files at all: the adapter
// leaves the norm nil then.
func problem(o Office) balance.Problem {
	p := balance.Problem{AsOf: o.Date}
	for _, s := range o.Staff {
		w := balance.Worker{
			ID:       s.Login,
			Capacity: balance.HoursPerWeek(s.Hours),
			Skills:   slices.Clone(s.Languages),
			Away:     s.Away,
		}
		if s.MaxFiles > 0 {
			w.CaseloadNorm = balance.CaseloadNorm(balance.Shares(s.MaxFiles))
		}
		p.Workers = append(p.Workers, w)
	}
	for _, f := range o.Files {
		c := balance.Case{
			ID:     f.Number,
			Weight: balance.HoursPerWeek(f.Hours),
			Owner:  f.Handler,
			Pinned: f.Locked && f.Handler != "",
			Group:  f.Household,
		}
		if f.Language != "" {
			c.Skills = []string{f.Language}
		}
		p.Cases = append(p.Cases, c)
	}
	return p
}

// options are the office's rules for a suggestion: at most budget
// voluntary moves (negative: no limit), and the files of absent
// caseworkers handed to others.
func options(budget int) *balance.RebalanceOptions {
	return &balance.RebalanceOptions{MaxMoves: budget, ReplaceAway: true}
}

// suggest proposes who takes which file, moving at most budget files
// that have a handler.
func suggest(ctx context.Context, o Office, budget int) (*balance.Proposal, error) {
	return balance.Propose(ctx, problem(o), options(budget))
}

// officeFrom turns a generated balance.Problem back into the office's
// records, so that balancetest's generators can feed the adapter. What
// the records cannot say is left out: declines, leave other than today,
// shares, a second skill, and a caseload norm below one file; hours are
// rounded to quarter hours and held to at most 60.
func officeFrom(p balance.Problem) Office {
	quarter := func(h balance.HoursPerWeek) float64 { return math.Round(float64(h)*4) / 4 }
	o := Office{Date: p.AsOf}
	for _, w := range p.Workers {
		s := Caseworker{Login: w.ID, Hours: math.Min(quarter(w.Capacity), 60), Languages: slices.Clone(w.Skills), Away: w.Away}
		for _, a := range w.Absences {
			s.Away = s.Away || a.Contains(p.AsOf)
		}
		if w.CaseloadNorm != nil {
			s.MaxFiles = int(*w.CaseloadNorm)
		}
		o.Staff = append(o.Staff, s)
	}
	for _, c := range p.Cases {
		f := File{Number: c.ID, Hours: quarter(c.Weight), Handler: c.Owner, Locked: c.Pinned, Household: c.Group}
		if len(c.Skills) > 0 {
			f.Language = c.Skills[0]
		}
		o.Files = append(o.Files, f)
	}
	return o
}
