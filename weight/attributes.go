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
	ID string `json:"id,omitempty"`
	// Type names one of the model's case types. It is required.
	Type string `json:"type"`
	// Phase names one of the type's phases. Empty means the type's own
	// base hours.
	Phase string `json:"phase,omitempty"`
	// Flags are yes/no attributes, e.g. "court": true. A false flag counts
	// as absent.
	Flags map[string]bool `json:"flags,omitempty"`
	// Counts are whole-number attributes, e.g. "children": 3. They must
	// not be negative; zero counts as absent.
	Counts map[string]int `json:"counts,omitempty"`
	// Numbers are measured attributes, e.g. "travel_km": 42.5, in the unit
	// the model's factor states. They must be finite and not negative.
	Numbers map[string]float64 `json:"numbers,omitempty"`
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
	// Look up each attribute the model reads; only when a map holds more
	// names than were found does it hold unknown ones, and only then is it
	// ranged over. This keeps Weigh free of map iteration.
	var nf, nc, nn int
	for _, at := range c.attrs {
		switch at.on {
		case Flag:
			if v, ok := a.Flags[at.name]; ok {
				nf++
				if v {
					vals[at.slot] = 1
				}
			}
		case Count:
			if v, ok := a.Counts[at.name]; ok {
				nc++
				if v < 0 {
					fs.add("Counts", at.name, ErrNegative)
				}
				vals[at.slot] = float64(v)
			}
		case Number:
			if v, ok := a.Numbers[at.name]; ok {
				nn++
				switch {
				case math.IsNaN(v) || math.IsInf(v, 0):
					fs.add("Numbers", at.name, ErrNotFinite)
				case v < 0:
					fs.add("Numbers", at.name, ErrNegative)
				}
				vals[at.slot] = v
			}
		}
	}
	var unknown []InputError
	if nf < len(a.Flags) {
		for name := range a.Flags {
			if _, known := c.flags[name]; !known {
				unknown = append(unknown, InputError{Field: "Flags", Name: name})
			}
		}
	}
	if nc < len(a.Counts) {
		for name, v := range a.Counts {
			if _, known := c.counts[name]; !known {
				if v < 0 {
					fs.add("Counts", name, ErrNegative)
				} else {
					unknown = append(unknown, InputError{Field: "Counts", Name: name})
				}
			}
		}
	}
	if nn < len(a.Numbers) {
		for name, v := range a.Numbers {
			if _, known := c.numbers[name]; !known {
				switch {
				case math.IsNaN(v) || math.IsInf(v, 0):
					fs.add("Numbers", name, ErrNotFinite)
				case v < 0:
					fs.add("Numbers", name, ErrNegative)
				default:
					unknown = append(unknown, InputError{Field: "Numbers", Name: name})
				}
			}
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
