package weight

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// A Funding is a funding rule ("rekenmodel"): the hours per week an
// organisation is paid for per case, per unit of a count (e.g. per child),
// or per case type.
type Funding struct {
	// Name names the rule, e.g. "municipal tariff 2025".
	Name string `json:"name,omitempty"`
	// PerCase is the hours per week funded per case of a type not listed
	// in Types. Zero means none.
	PerCase HoursPerWeek `json:"per_case,omitempty"`
	// PerUnit is the hours per week funded per unit of the count Unit of a
	// case of a type not listed in Types. Zero means none.
	PerUnit HoursPerWeek `json:"per_unit,omitempty"`
	// Unit names the count that PerUnit pays for, e.g. "children". A case
	// without that count is funded for zero units. It is required when any
	// PerUnit is above zero.
	Unit string `json:"unit,omitempty"`
	// Types gives the rates of case types funded differently. Nil or
	// empty means every type is funded at PerCase and PerUnit; as with a
	// [Model], JSON keeps the two apart (nil is left out, empty is []).
	Types []TypeFunding `json:"types,omitzero"`
}

// TypeFunding is the funding of one case type.
type TypeFunding struct {
	// Type names one of the model's case types.
	Type string `json:"type"`
	// PerCase is the hours per week funded per case of this type. Zero
	// means none.
	PerCase HoursPerWeek `json:"per_case,omitempty"`
	// PerUnit is the hours per week funded per unit of the rule's Unit.
	// Zero means none.
	PerUnit HoursPerWeek `json:"per_unit,omitempty"`
}

// A FundingLine compares funded hours with the model's weights for a group
// of cases.
type FundingLine struct {
	// Type names the case type; empty for the total.
	Type string
	// Cases is the number of cases in the group.
	Cases int
	// Short is the number of cases whose weight exceeds their funding.
	Short int
	// Funded is the hours per week funded for the group.
	Funded HoursPerWeek
	// Needed is the group's weight in hours per week under the model.
	Needed HoursPerWeek
	// Gap is Needed minus Funded in hours per week, computed from those
	// two sums: positive means funding falls short, negative means the
	// group is funded for more than it needs.
	Gap HoursPerWeek
	// Shortfall is the sum, in hours per week, over the group's cases that
	// are short, of their weight minus their funding. Overfunded cases do not offset it.
	// Zero means no case is short.
	Shortfall HoursPerWeek
}

// CaseFunding compares one case's funding with its weight.
type CaseFunding struct {
	// ID is the case's ID, if it has one.
	ID string
	// Type names the case type.
	Type string
	// Funded is the hours per week funded for the case.
	Funded HoursPerWeek
	// Needed is the case's weight under the model, in hours per week.
	Needed HoursPerWeek
	// Gap is Needed minus Funded, in hours per week: positive means the
	// case is short.
	Gap HoursPerWeek
}

// A FundingReport says where a funding rule falls short of the model's
// weights: "does the financial model match reality on the floor?"
type FundingReport struct {
	// Funding names the rule checked.
	Funding string
	// ByType has one line per case type with cases, in model order.
	ByType []FundingLine
	// Total sums ByType in order.
	Total FundingLine
	// Cases has one entry per case, in input order.
	Cases []CaseFunding
}

// CheckFunding weighs each case under m and compares it with what f funds
// for it: the type's PerCase plus PerUnit times the case's count f.Unit.
// Within a type, sums are taken over values sorted ascending, so the
// report does not depend on the order of cases except for the order of
// Cases. A nil opts means the zero [Options].
//
// Every number in the report is finite. It returns the errors of
// [Model.Validate]; and every fault of f and of the cases at once, as
// [*InputError] values whose Field starts with "Funding" or "Cases[i]";
// and [ErrOverflow] when a case's funded hours or a sum of hours is too
// large for a float64, in an [*InputError] whose Field names the case
// ("Cases[i]") or the report's line ("ByType.Funded" with the type's
// name, or "Total.Needed"). Its time is O(n log n + n·factors) for n
// cases.
func CheckFunding(m Model, f Funding, cases []Attributes, opts *Options) (*FundingReport, error) {
	c, err := Compile(m, opts)
	if err != nil {
		return nil, err
	}
	var fs faults
	checkAmount(&fs, "Funding.PerCase", f.Name, float64(f.PerCase))
	checkAmount(&fs, "Funding.PerUnit", f.Name, float64(f.PerUnit))
	needUnit := f.PerUnit > 0
	rates := make([]TypeFunding, len(c.model.Types))
	for t, ct := range c.model.Types {
		rates[t] = TypeFunding{Type: ct.Name, PerCase: f.PerCase, PerUnit: f.PerUnit}
	}
	seen := make([]bool, len(rates))
	for i, tf := range f.Types {
		field := fmt.Sprintf("Funding.Types[%d]", i)
		t, ok := c.types[tf.Type]
		switch {
		case !ok:
			fs.add(field+".Type", tf.Type, ErrUnknownType)
		case seen[t]:
			fs.add(field+".Type", tf.Type, ErrDuplicate)
		default:
			seen[t] = true
			rates[t] = tf
		}
		checkAmount(&fs, field+".PerCase", tf.Type, float64(tf.PerCase))
		checkAmount(&fs, field+".PerUnit", tf.Type, float64(tf.PerUnit))
		needUnit = needUnit || tf.PerUnit > 0
	}
	if needUnit && f.Unit == "" {
		fs.add("Funding.Unit", f.Name, ErrMissing)
	}

	// The funding's unit is a known count even when no factor reads it.
	_, unitRead := c.counts[f.Unit]
	r := &FundingReport{Funding: f.Name, Cases: make([]CaseFunding, len(cases))}
	byType := make([][]CaseFunding, len(rates))
	for i := range cases {
		a := cases[i]
		field := fmt.Sprintf("Cases[%d]", i)
		count, hasUnit := a.Counts[f.Unit]
		negative := hasUnit && count < 0
		if hasUnit && !unitRead {
			// Weigh does not know the unit: check it here, and weigh the
			// case without it, so that every other fault is reported too.
			if negative {
				fs = append(fs, &InputError{Case: a.ID, Field: field + ".Counts", Name: f.Unit, Err: ErrNegative})
			}
			a.Counts = maps.Clone(a.Counts)
			delete(a.Counts, f.Unit)
		}
		w, err := c.Weigh(a)
		if err != nil {
			prefixFaults(&fs, field, err)
			continue
		}
		if negative {
			continue
		}
		t := c.types[a.Type]
		units := float64(count)
		funded := float64(rates[t].PerCase) + float64(rates[t].PerUnit)*units
		if !finite(funded) {
			fs = append(fs, &InputError{Case: a.ID, Field: field + ".Counts", Name: f.Unit, Err: ErrOverflow})
			continue
		}
		cf := CaseFunding{
			ID: a.ID, Type: a.Type, Funded: HoursPerWeek(funded), Needed: w.Hours,
			Gap: w.Hours - HoursPerWeek(funded),
		}
		r.Cases[i] = cf
		byType[t] = append(byType[t], cf)
	}
	if err := fs.err(); err != nil {
		return nil, err
	}
	for t, group := range byType {
		if len(group) == 0 {
			continue
		}
		line := sumFunding(group)
		line.Type = c.model.Types[t].Name
		if err := line.overflow("ByType", line.Type); err != nil {
			fs = append(fs, err)
		}
		r.ByType = append(r.ByType, line)
		r.Total.Cases += line.Cases
		r.Total.Short += line.Short
		r.Total.Funded += line.Funded
		r.Total.Needed += line.Needed
		r.Total.Shortfall += line.Shortfall
	}
	r.Total.Gap = r.Total.Needed - r.Total.Funded
	if len(fs) == 0 {
		if err := r.Total.overflow("Total", ""); err != nil {
			fs = append(fs, err)
		}
	}
	if err := fs.err(); err != nil {
		return nil, err
	}
	return r, nil
}

// overflow returns an [ErrOverflow] error naming the first sum of l that
// is not finite, or nil. Funded, Needed and Shortfall are sums of
// non-negative finite numbers, so when they are finite so is Gap.
func (l FundingLine) overflow(field, name string) error {
	for _, s := range []struct {
		name string
		x    HoursPerWeek
	}{{"Funded", l.Funded}, {"Needed", l.Needed}, {"Shortfall", l.Shortfall}, {"Gap", l.Gap}} {
		if !finite(float64(s.x)) {
			return &InputError{Field: field + "." + s.name, Name: name, Err: ErrOverflow}
		}
	}
	return nil
}

// sumFunding sums a group of cases, each quantity over its values sorted
// ascending, so the result does not depend on the group's order.
func sumFunding(group []CaseFunding) FundingLine {
	line := FundingLine{Cases: len(group)}
	sorted := func(get func(CaseFunding) HoursPerWeek) HoursPerWeek {
		xs := make([]HoursPerWeek, 0, len(group))
		for _, g := range group {
			xs = append(xs, get(g))
		}
		slices.SortFunc(xs, cmp.Compare)
		var s HoursPerWeek
		for _, x := range xs {
			s += x
		}
		return s
	}
	line.Funded = sorted(func(g CaseFunding) HoursPerWeek { return g.Funded })
	line.Needed = sorted(func(g CaseFunding) HoursPerWeek { return g.Needed })
	line.Gap = line.Needed - line.Funded
	line.Shortfall = sorted(func(g CaseFunding) HoursPerWeek { return max(g.Gap, 0) })
	for _, g := range group {
		if g.Gap > 0 {
			line.Short++
		}
	}
	return line
}

// prefixFaults appends the input errors joined in err to fs, each with its
// Field prefixed.
func prefixFaults(fs *faults, prefix string, err error) {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		if ie, ok := e.(*InputError); ok {
			ie.Field = prefix + "." + ie.Field
			*fs = append(*fs, ie)
		} else {
			*fs = append(*fs, e)
		}
	}
}
