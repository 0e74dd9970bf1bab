package norm

import "github.com/caseload/caseload/civil"

// An ItemKind says what a line of a capacity [Breakdown] comes from.
type ItemKind string

// Kinds of breakdown items, in the order [Capacity] applies them.
const (
	KindSideDuty   ItemKind = "side-duty"  // a [SideDuty], subtracted in hours per week
	KindReduction  ItemKind = "reduction"  // a [Reduction], subtracted in hours per week
	KindExpertise  ItemKind = "expertise"  // an [Adjustment], a share of what is left
	KindOnboarding ItemKind = "onboarding" // the [Onboarding] ramp, a share of what is left
)

// An Item is one line of a capacity [Breakdown]: a change to the hours
// per week left for casework.
type Item struct {
	// Kind says what the line comes from: [KindSideDuty],
	// [KindReduction], [KindExpertise] or [KindOnboarding]; never empty.
	Kind ItemKind `json:"kind"`
	// Index is the position of the source in its list of the [Contract]
	// (SideDuties, Reductions or Expertise); zero for onboarding.
	Index int `json:"index"`
	// Name is the duty's name, the reduction's reason, the adjustment's
	// name, or for onboarding "not started" before the onboarding start
	// and "onboarding" from the start on (even at a share of 0).
	Name string `json:"name"`
	// Wanted is the signed change asked for in hours per week: negative
	// subtracts, positive adds.
	Wanted HoursPerWeek `json:"wanted"`
	// Hours is the signed change applied, in hours per week. It differs
	// from Wanted only when a subtraction would take capacity below zero
	// or positive expertise shares would take it above
	// [MaxHoursPerWeek]; in the latter case each positive share gives up
	// the same fraction of its Wanted.
	Hours HoursPerWeek `json:"hours"`
}

// A Breakdown is a worker's capacity for casework on one date and how it
// was reached: Contract plus the Hours of every item, in order, gives
// Available (up to floating-point rounding).
type Breakdown struct {
	// Worker is the contract's Worker, copied; empty when the contract
	// names none.
	Worker string `json:"worker,omitempty"`
	// At is the date of the reading; never the zero Date.
	At civil.Date `json:"at"`
	// Contract is the contract hours per week.
	Contract HoursPerWeek `json:"contract"`
	// Available is the hours per week left for casework; never negative.
	Available HoursPerWeek `json:"available"`
	// Onboarding is the share of full capacity the onboarding ramp
	// allows on At: 0 before the start, 1 when ramped up or without
	// onboarding.
	Onboarding float64 `json:"onboarding"`
	// Items lists the side duties, reductions and adjustments that
	// apply on At, and the onboarding ramp while its share is below 1,
	// even when there is nothing left for them to change.
	Items []Item `json:"items,omitempty"`
}

// FTE returns the available casework hours as full-time equivalents of a
// full-time week of fullTime hours; zero when fullTime is not positive.
func (b Breakdown) FTE(fullTime HoursPerWeek) FTE { return HoursToFTE(b.Available, fullTime) }

// Capacity returns the hours per week c leaves for casework on at, with a
// breakdown. The computation runs in a fixed order:
//
//  1. start from the contract hours;
//  2. subtract each side duty whose period contains at, in list order;
//  3. subtract each reduction whose period contains at, in list order:
//     Percent of the contract hours, or Hours, at most Cap when Cap is
//     set; a subtraction never takes the subtotal below zero;
//  4. multiply by 1 plus the sum of the expertise shares that apply,
//     and cap the result at [MaxHoursPerWeek] (168), so that positive
//     shares, which may sum to more than 1, never promise more hours
//     than a week holds;
//  5. multiply by the onboarding share ([Onboarding.Share]).
//
// Periods include both ends, so a reduction is no longer applied the day
// after its period ends. Without positive expertise shares the result
// never exceeds the contract hours, and it never exceeds
// MaxHoursPerWeek. Capacity returns an error joining an
// [*InputError] for each fault in c, or one for a zero at. Its cost is
// linear in the number of items of c.
func Capacity(c Contract, at civil.Date) (Breakdown, error) {
	var f faults
	c.validate(&f, top("Contract"))
	if at.IsZero() {
		f.add(top("At"), "", c.Worker, ErrMissing)
	}
	if err := f.err(); err != nil {
		return Breakdown{}, err
	}
	b := Breakdown{Worker: c.Worker, At: at, Contract: c.Hours}
	var cc compiled
	cc.compile(&c)
	avail, share := cc.available(dayNumber(at), &c, &b.Items)
	b.Available = HoursPerWeek(avail)
	b.Onboarding = share
	return b, nil
}

// compiled is a validated contract prepared for evaluation on many days.
type compiled struct {
	hours      float64
	duties     []amountSpan
	reductions []amountSpan
	expertise  []amountSpan // amount holds the share
	onboard    bool
	start      int32
	startShare float64
	rampDays   float64
}

type amountSpan struct {
	span
	amount float64
}

func (cc *compiled) compile(c *Contract) {
	*cc = compiled{hours: float64(c.Hours)}
	if len(c.SideDuties) > 0 {
		cc.duties = make([]amountSpan, len(c.SideDuties))
		for i, d := range c.SideDuties {
			cc.duties[i] = amountSpan{spanOf(d.Period), float64(d.Hours)}
		}
	}
	if len(c.Reductions) > 0 {
		cc.reductions = make([]amountSpan, len(c.Reductions))
		for i, r := range c.Reductions {
			cc.reductions[i] = amountSpan{spanOf(r.Period), r.amount(float64(c.Hours))}
		}
	}
	if len(c.Expertise) > 0 {
		cc.expertise = make([]amountSpan, len(c.Expertise))
		for i, a := range c.Expertise {
			cc.expertise[i] = amountSpan{spanOf(a.Period), a.Share}
		}
	}
	if o := c.Onboarding; !o.Start.IsZero() {
		cc.onboard = true
		cc.start = dayNumber(o.Start)
		cc.startShare = o.StartShare
		cc.rampDays = float64(7 * o.Weeks)
	}
}

// available returns the casework hours per week on day and the onboarding
// share. When items is not nil it appends the breakdown, naming items
// from c.
func (cc *compiled) available(day int32, c *Contract, items *[]Item) (hours, share float64) {
	r := cc.hours
	subtract := func(list []amountSpan, kind ItemKind) {
		for i, d := range list {
			if !d.contains(day) {
				continue
			}
			applied := min(d.amount, r)
			r -= applied
			if items != nil {
				name := ""
				if kind == KindSideDuty {
					name = c.SideDuties[i].Name
				} else {
					name = c.Reductions[i].Reason
				}
				*items = append(*items, Item{Kind: kind, Index: i, Name: name,
					Wanted: HoursPerWeek(-d.amount), Hours: HoursPerWeek(-applied)})
			}
		}
	}
	subtract(cc.duties, KindSideDuty)
	subtract(cc.reductions, KindReduction)
	if r < 0 { // only -0 can get here; keep the output tidy
		r = 0
	}
	base := r
	factor := 1.0
	first := 0 // the first expertise item, if any
	if items != nil {
		first = len(*items)
	}
	positive := 0.0 // the sum of the positive shares that apply
	for i, a := range cc.expertise {
		if !a.contains(day) {
			continue
		}
		factor += a.amount
		if a.amount > 0 {
			positive += a.amount
		}
		if items != nil {
			delta := HoursPerWeek(a.amount * base)
			*items = append(*items, Item{Kind: KindExpertise, Index: i, Name: c.Expertise[i].Name,
				Wanted: delta, Hours: delta})
		}
	}
	if factor < 0 { // validation keeps the negative shares to -1 at most
		factor = 0
	}
	if factor != 1 {
		r = base * factor
	}
	if r > float64(MaxHoursPerWeek) {
		// Positive shares ask for more than a week holds: apply each of
		// them in proportion, so the items still add up.
		excess := r - float64(MaxHoursPerWeek)
		r = float64(MaxHoursPerWeek)
		if items != nil {
			keep := 1 - excess/(positive*base)
			for k := first; k < len(*items); k++ {
				if it := &(*items)[k]; it.Wanted > 0 {
					it.Hours = it.Wanted * HoursPerWeek(keep)
				}
			}
		}
	}
	share = 1.0
	if cc.onboard {
		share = rampShare(day, cc.start, cc.startShare, cc.rampDays)
		if share != 1 {
			before := r
			r *= share
			if items != nil {
				name := "onboarding"
				if day < cc.start {
					name = "not started"
				}
				delta := HoursPerWeek(r - before)
				*items = append(*items, Item{Kind: KindOnboarding, Name: name, Wanted: delta, Hours: delta})
			}
		}
	}
	return finite(r), share
}
