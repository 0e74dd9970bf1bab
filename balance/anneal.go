package balance

import (
	"math"
	"math/rand/v2"
)

// annealSteps is the number of random moves one annealing run tries.
const annealSteps = 300_000

// anneal runs simulated annealing on the units movable reports, to get
// out of the local optima that moves, swaps and chains cannot leave: a
// rare skill held by a few workers who are all full, where room must be
// made two or three workers away. It moves a random unit to a random
// worker who may take it, accepting by the Metropolis rule on the
// smooth surrogate Σ c_j·u_j^8 of the maximum, and keeps the best
// assignment seen by (maximum, spread). The random source is seeded, so
// the result is deterministic.
func (s *solver) anneal(movable func(u *unit) bool, seed uint64) {
	movable = notStuck(movable)
	var xs []int32
	for x := range s.units {
		if u := &s.units[x]; movable(u) && u.pos >= 0 && len(s.classes[u.class].elig) > 1 {
			xs = append(xs, int32(x))
		}
	}
	if len(xs) == 0 || s.capSum == 0 {
		return
	}
	rng := rand.New(rand.NewPCG(seed, 0x616e6e65616c)) // "anneal"
	energy := func(j int32, load int64) float64 {
		if s.capH[j] == 0 {
			return 0
		}
		u := float64(load) * s.inv[j]
		u2 := u * u
		u4 := u2 * u2
		return s.capH[j] * u4 * u4
	}
	var e float64
	for j := range s.m {
		e += energy(int32(j), s.load[j])
	}
	best, bestPos := s.objective(), s.snapshot()
	temp := 0.05 * e
	cool := math.Pow(1e-4, 1/float64(annealSteps))
	for step := range annealSteps {
		if step%256 == 0 && s.stopIfDone() {
			break
		}
		temp *= cool
		x := xs[rng.IntN(len(xs))]
		u := &s.units[x]
		elig := s.classes[u.class].elig
		b := elig[rng.IntN(len(elig))]
		a := u.pos
		if b == a || !s.fits(u, b, nil) || !s.budgetAllows(s.cost(u, b)) {
			continue
		}
		d := energy(a, s.load[a]-u.w) - energy(a, s.load[a]) + energy(b, s.load[b]+u.w) - energy(b, s.load[b])
		if d > 0 && rng.Float64() >= math.Exp(-d/temp) {
			continue
		}
		s.place(x, b)
		e += d
		if m := s.maxUtil(); m < best.max-1e-9 {
			best, bestPos = s.objective(), s.snapshot()
		}
	}
	s.restore(bestPos)
}
