package weight

import (
	"fmt"
	"unicode/utf8"
)

// Validate reports every fault of m at once, joined with [errors.Join];
// each is an [*InputError] naming the item and wrapping a sentinel:
// [ErrMissing] for a model without types, an empty name or a factor
// without an input (On, "on" in JSON), [ErrDuplicate],
// [ErrNegative] and [ErrNotFinite] for hours, values, thresholds, caps and
// severities, and [ErrInvalid] for an unknown kind or input, a threshold on
// a flag, or a name, version or note that is not valid UTF-8. It returns
// nil for a valid model and never panics. Its time is O(size of m).
func (m Model) Validate() error {
	var f faults
	if len(m.Types) == 0 {
		f.add("Types", "", ErrMissing)
	}
	checkAmount(&f, "MaxHours", "", float64(m.MaxHours))
	checkText(&f, "", "Name", "", m.Name)
	checkText(&f, "", "Version", "", m.Version)
	types := make(map[string]bool, len(m.Types))
	for i, t := range m.Types {
		field := fmt.Sprintf("Types[%d]", i)
		checkName(&f, field+".Name", t.Name)
		if types[t.Name] {
			f.add(field+".Name", t.Name, ErrDuplicate)
		}
		types[t.Name] = true
		checkAmount(&f, field+".Hours", t.Name, float64(t.Hours))
		checkAmount(&f, field+".Severity", t.Name, float64(t.Severity))
		checkText(&f, field, ".Note", t.Name, t.Note)
		phases := make(map[string]bool, len(t.Phases))
		for j, p := range t.Phases {
			pf := fmt.Sprintf("%s.Phases[%d]", field, j)
			checkName(&f, pf+".Name", p.Name)
			if phases[p.Name] {
				f.add(pf+".Name", p.Name, ErrDuplicate)
			}
			phases[p.Name] = true
			checkAmount(&f, pf+".Hours", p.Name, float64(p.Hours))
		}
	}
	factors := make(map[string]bool, len(m.Factors))
	for i, fc := range m.Factors {
		field := fmt.Sprintf("Factors[%d]", i)
		checkName(&f, field+".Name", fc.Name)
		if factors[fc.Name] {
			f.add(field+".Name", fc.Name, ErrDuplicate)
		}
		factors[fc.Name] = true
		if !fc.Kind.factor() {
			f.add(field+".Kind", fc.Name, ErrInvalid)
		}
		switch {
		case fc.On == 0:
			f.add(field+".On", fc.Name, ErrMissing)
		case !fc.On.valid():
			f.add(field+".On", fc.Name, ErrInvalid)
		}
		checkName(&f, field+".Attribute", fc.Attribute)
		checkAmount(&f, field+".Value", fc.Name, fc.Value)
		checkAmount(&f, field+".Above", fc.Name, fc.Above)
		if fc.On == Flag && fc.Above != 0 {
			f.add(field+".Above", fc.Name, ErrInvalid)
		}
		checkAmount(&f, field+".Cap", fc.Name, float64(fc.Cap))
		checkAmount(&f, field+".Severity", fc.Name, float64(fc.Severity))
		checkText(&f, field, ".Note", fc.Name, fc.Note)
	}
	return f.err()
}

// checkName adds a fault when a name is empty or not valid UTF-8.
func checkName(f *faults, field, name string) {
	switch {
	case name == "":
		f.add(field, "", ErrMissing)
	case !utf8.ValidString(name):
		f.add(field, name, ErrInvalid)
	}
}

// checkText adds a fault at prefix+suffix, naming the item name, when the
// free text s is not valid UTF-8. It does not repeat s, which may be any
// bytes. It joins prefix and suffix only for a fault, so a valid model
// costs no allocation here.
func checkText(f *faults, prefix, suffix, name, s string) {
	if !utf8.ValidString(s) {
		f.add(prefix+suffix, name, ErrInvalid)
	}
}
