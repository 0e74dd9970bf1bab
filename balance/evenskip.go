package balance

import "math"

// A pass of evenOut reads every unit of every worker, though on a team
// that is nearly level few of them may lower the spread: on a national
// team where half the workers have no capacity, 1,000 of 150,000 units
// at most passed [solver.cannotLowerSpread] in each of the 28 passes of
// a solve from empty, and reading the others took a quarter of the
// proposal. An evenSkip bounds, for a pass, what cannotLowerSpread
// tells each unit from the classes' bounds taken together, so that a
// worker none of whose units can lower the spread is passed by without
// reading them: the bound holds for every unit at least as heavy as
// their lightest ([solver.lightOf]), and is not used for a worker who
// holds a unit that may go back to a worker outside its class
// ([unit.outside]), whom cannotLowerSpread always lets through. Of a
// worker it does not pass by, the units it passes by by their weight
// ([spreadTest], [solver.onW]) are not read either.
type evenSkip struct {
	// low is the lowest utilization of the first worker of any class's
	// open heap ([class.open]), as cannotLowerSpread reads it, or lower,
	// through the pass: the first worker with room, or, where no one in
	// the class has room, the first of the class, elig[0] (the heap
	// ranks them all last, by index), whom low counts from the start,
	// for the last with room may fill up during the pass. cMax is the
	// largest capacity and capMin the smallest of any class, in hours.
	low, cMax, capMin float64
	off               bool // some class has a member without capacity
}

// newEvenSkip returns the bounds of the classes for a pass of evenOut.
func (s *solver) newEvenSkip() evenSkip {
	k := evenSkip{low: math.Inf(1), capMin: math.Inf(1)}
	if s.capSum == 0 {
		return evenSkip{off: true}
	}
	for c := range s.classes {
		cl := s.classAt(int32(c))
		if len(cl.elig) == 0 {
			// cannotLowerSpread lets its units through, but they find
			// no one: a held one may go nowhere but home, where it is
			// (or it is outside or stuck: passes and evenOut leave
			// both alone), and a free one is never placed.
			continue
		}
		if cl.capMin <= 0 {
			return evenSkip{off: true}
		}
		k.low = min(k.low, s.util[cl.open.top()], s.util[cl.elig[0]])
		k.cMax = max(k.cMax, cl.capMax[len(cl.capMax)-1])
		k.capMin = min(k.capMin, cl.capMin)
	}
	return k
}

// moved notes that worker a shed a unit during the pass: they may now
// be the first with room of a class.
func (k *evenSkip) moved(s *solver, a int32) {
	k.low = min(k.low, s.util[a])
}

// passes reports whether no unit of worker a can lower the spread by
// more than thr ([solver.cannotLowerSpread]), whatever its class (of a
// class without workers, none may go anywhere: newEvenSkip): whether
// the test of a's units ([evenSkip.test]) passes by every weight at or
// above their lightest unit's.
func (k *evenSkip) passes(s *solver, a int32, t spreadTest) bool {
	if !t.ok || len(s.on[a]) == 0 {
		return false
	}
	x := max(float64(s.lightOf(a))/micro, -t.x1/(2*t.x2))
	return t.g(x) >= 0
}

// A spreadTest tells, for the units of one worker during a pass of
// evenOut, by weight alone, units that cannot lower the spread
// ([evenSkip.test]): those of x hours with g(x) = x2·x² + x1·x + x0 at
// least 0.
type spreadTest struct {
	x2, x1, x0 float64
	ok         bool // false: no test, every unit must be read
}

// test returns the test for the units of worker a in the pass, as the
// bounds stand now. For a unit of x hours, cannotLowerSpread's test
// reads g(x) ≥ 0 with
//
//	g(x) = x²(1/cMax + 1/c_a − 10⁻⁹/capMin)
//	     + x(2·u_low − 2u_a − 3·10⁻⁹·u_a)
//	     + thr·Σc − 10⁻⁹(l_a²/c_a + 3u_a²·cMax),
//
// which the bounds of every class only lower: this g is the least over
// the classes, and here with twice the margin, far above the rounding
// of either sum. It reads a's load: a worker who sheds a unit during
// the pass needs a new test. It is off for a worker without capacity
// or who holds a unit that may go back to a worker outside its class
// ([unit.outside]), whom cannotLowerSpread always lets through.
func (k *evenSkip) test(s *solver, a int32, thr float64) spreadTest {
	if k.off || s.capH[a] <= 0 || s.outsideOn[a] > 0 || k.cMax <= 0 {
		return spreadTest{}
	}
	la, ca := float64(s.load[a])/micro, s.capH[a]
	ua := la / ca
	t := spreadTest{
		x2: 1/k.cMax + 1/ca - 2e-9/k.capMin,
		x1: 2*(k.low-ua) - 6e-9*ua,
		x0: thr*s.capSum - 2e-9*(la*la/ca+3*ua*ua*k.cMax),
		ok: true,
	}
	if t.x2 <= 0 || math.IsNaN(t.x2+t.x1+t.x0) {
		return spreadTest{}
	}
	return t
}

// g returns the test's bound for a unit of x hours: where it is at
// least 0, the unit cannot lower the spread.
func (t spreadTest) g(x float64) float64 {
	return (t.x2*x+t.x1)*x + t.x0
}

// passesBy reports whether the test passes by a unit of weight w, in
// micro-units: it cannot lower the spread, as cannotLowerSpread would
// say.
func (t spreadTest) passesBy(w int64) bool {
	return t.ok && t.g(float64(w)/micro) >= 0
}

// lightOf returns the weight of worker a's lightest unit on, in
// micro-units (MaxInt64 for none), reading their units where a unit
// has left since it was known.
func (s *solver) lightOf(a int32) int64 {
	if s.light[a] < 0 {
		l := int64(math.MaxInt64)
		for _, w := range s.onW[a] {
			l = min(l, w)
		}
		s.light[a] = l
	}
	return s.light[a]
}
