package weight

import (
	"cmp"
	"math"
	"slices"
)

// Attributes describe one case as the model sees it. Maps may be nil.
type Attributes struct {
	// ID is the case's ID in the caller's system. It is used only to name
	// the case in errors and reports; empty means none.
	ID string
	// Type names one of the model's case types. It is required.
	Type string
	// Phase names one of the type's phases. Empty means the type's own
	// base hours.
	Phase string
	// Flags are yes/no attributes, e.g. "court": true. A false flag counts
	// as absent.
	Flags map[string]bool
	// Counts are whole-number attributes, e.g. "children": 3. They must
	// not be negative; zero counts as absent.
	Counts map[string]int
	// Numbers are measured attributes, e.g. "travel_km": 42.5, in the unit
	// the model's factor states. They must be finite and not negative.
	Numbers map[string]float64
}

// stackSlots is the number of attribute slots Weigh keeps on the stack.
const stackSlots = 64

// read resolves a's type and phase and copies a's attribute values into
// vals, indexed by slot. It returns the base index into c.bases, the names
// of unknown items ignored under Options.IgnoreUnknown (sorted), and the
// faults found. Fields in faults are relative to the Attributes value.
func (c *Compiled) read(a *Attributes, vals []float64) (base int, ignored []string, fs faults) {
	t, ok := c.types[a.Type]
	switch {
	case !ok && a.Type == "":
		fs.add("Type", "", ErrMissing)
	case !ok:
		fs.add("Type", a.Type, ErrUnknownType)
	}
	if ok {
		base = c.typeBase[t]
		if a.Phase != "" {
			if p, found := c.findPhase(t, a.Phase); found {
				base = p
			} else if c.opts.IgnoreUnknown {
				ignored = append(ignored, "Phase["+a.Phase+"]")
			} else {
				fs.add("Phase", a.Phase, ErrUnknownPhase)
			}
		}
	}
	var unknown []InputError
	for name, v := range a.Flags {
		s, known := c.flags[name]
		if !known {
			unknown = append(unknown, InputError{Field: "Flags", Name: name})
			continue
		}
		if v {
			vals[s] = 1
		}
	}
	for name, v := range a.Counts {
		s, known := c.counts[name]
		switch {
		case v < 0:
			fs.add("Counts", name, ErrNegative)
		case !known:
			unknown = append(unknown, InputError{Field: "Counts", Name: name})
		default:
			vals[s] = float64(v)
		}
	}
	for name, v := range a.Numbers {
		s, known := c.numbers[name]
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			fs.add("Numbers", name, ErrNotFinite)
		case v < 0:
			fs.add("Numbers", name, ErrNegative)
		case !known:
			unknown = append(unknown, InputError{Field: "Numbers", Name: name})
		default:
			vals[s] = v
		}
	}
	for _, u := range unknown {
		if c.opts.IgnoreUnknown {
			ignored = append(ignored, u.Field+"["+u.Name+"]")
		} else {
			fs.add(u.Field, u.Name, ErrUnknownAttribute)
		}
	}
	slices.Sort(ignored)
	if len(fs) > 1 {
		slices.SortStableFunc(fs, func(x, y error) int {
			ex, ey := x.(*InputError), y.(*InputError)
			return cmp.Or(cmp.Compare(ex.Field, ey.Field), cmp.Compare(ex.Name, ey.Name))
		})
	}
	for _, e := range fs {
		e.(*InputError).Case = a.ID
	}
	return base, ignored, fs
}

// findPhase returns the index into c.bases of phase name of type t.
func (c *Compiled) findPhase(t int, name string) (int, bool) {
	for i, p := range c.phases[t] {
		if p == name {
			return c.typeBase[t] + 1 + i, true
		}
	}
	return 0, false
}
