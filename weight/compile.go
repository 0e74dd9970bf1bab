package weight

import "slices"

// Options adjust how cases are read. A nil *Options means the zero value.
type Options struct {
	// IgnoreUnknown makes a case's unknown flags, counts, numbers and
	// phases no error: they are skipped and listed in [Weight].Ignored.
	// False (the default) reports them as errors wrapping
	// [ErrUnknownAttribute] or [ErrUnknownPhase].
	IgnoreUnknown bool
}

// A Compiled is a validated [Model] with its names resolved, ready to
// weigh many cases fast. It is immutable and safe for concurrent use.
type Compiled struct {
	model Model // a deep copy
	opts  Options

	types    map[string]int // type name -> index in model.Types
	typeBase []int          // type index -> index in bases of its own hours
	phases   [][]string     // type index -> phase names
	bases    []base         // types and their phases, in model order

	flags, counts, numbers map[string]int // attribute name -> slot
	attrs                  []attr         // by slot
	slots                  int

	linear []cfactor // additive and per-unit factors, in model order
	mults  []cfactor // multipliers, in model order
	max    float64   // MaxHours; zero means none
}

// base is the base weight of one type or one phase of a type.
type base struct {
	name     string // "type" or "type/phase"
	hours    float64
	severity float64
	typ      int // index in model.Types
}

// attr is an attribute that some factor reads.
type attr struct {
	on   Input
	name string
	slot int
}

// cfactor is a factor with its attribute resolved to a slot.
type cfactor struct {
	index    int // index in model.Factors
	name     string
	kind     Kind
	slot     int
	value    float64
	above    float64
	cap      float64 // zero means none
	severity float64
}

// Compile validates m and resolves its names once, so that
// [Compiled.Weigh] is fast. It copies m: later changes to m do not affect
// the result. A nil opts means the zero [Options]. It returns the errors of
// [Model.Validate]. Its time is O(size of m).
func Compile(m Model, opts *Options) (*Compiled, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	c := &Compiled{model: cloneModel(m), types: make(map[string]int, len(m.Types))}
	if opts != nil {
		c.opts = *opts
	}
	m = c.model
	for i, t := range m.Types {
		c.types[t.Name] = i
		c.typeBase = append(c.typeBase, len(c.bases))
		c.bases = append(c.bases, base{name: t.Name, hours: float64(t.Hours), severity: float64(t.Severity), typ: i})
		names := make([]string, len(t.Phases))
		for j, p := range t.Phases {
			names[j] = p.Name
			c.bases = append(c.bases, base{name: t.Name + "/" + p.Name, hours: float64(p.Hours), severity: float64(t.Severity), typ: i})
		}
		c.phases = append(c.phases, names)
	}
	c.flags, c.counts, c.numbers = map[string]int{}, map[string]int{}, map[string]int{}
	for i, f := range m.Factors {
		index := map[Input]map[string]int{Flag: c.flags, Count: c.counts, Number: c.numbers}[f.On]
		slot, ok := index[f.Attribute]
		if !ok {
			slot = c.slots
			index[f.Attribute] = slot
			c.attrs = append(c.attrs, attr{on: f.On, name: f.Attribute, slot: slot})
			c.slots++
		}
		cf := cfactor{
			index: i, name: f.Name, kind: f.Kind, slot: slot, value: f.Value,
			above: f.Above, cap: float64(f.Cap), severity: float64(f.Severity),
		}
		if f.Kind == Multiplier {
			c.mults = append(c.mults, cf)
		} else {
			c.linear = append(c.linear, cf)
		}
	}
	c.max = float64(m.MaxHours)
	return c, nil
}

// Model returns a copy of the model c was compiled from.
func (c *Compiled) Model() Model { return cloneModel(c.model) }

// cloneModel returns a deep copy of m.
func cloneModel(m Model) Model {
	m.Types = slices.Clone(m.Types)
	for i := range m.Types {
		m.Types[i].Phases = slices.Clone(m.Types[i].Phases)
	}
	m.Factors = slices.Clone(m.Factors)
	return m
}
