package weight

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// problem is a calibration problem: the model's parameters as one vector
// (the bases in c.bases order, then the factors in model order) and the
// observations with their attributes resolved.
type problem struct {
	c       *Compiled
	nparams int
	params  []Param   // names and kinds
	keys    []string  // qualified names: "type:ots", "phase:ots/intake", "factor:court"
	theta0  []float64 // the given values
	obs     []pobs
}

// pobs is one observation: its base parameter, the factors that apply to
// it in weighing order, and its recorded hours.
type pobs struct {
	base int
	lin  []pterm
	mul  []pterm
	y    float64
}

// pterm is a factor that applies to an observation.
type pterm struct {
	p       int     // parameter index
	units   float64 // units above the threshold
	cap     float64 // zero means none
	perUnit bool    // the factor adds value × units, not value
}

func newProblem(c *Compiled) *problem {
	p := &problem{c: c}
	for _, b := range c.bases {
		p.params = append(p.params, Param{Name: b.name, Kind: Base})
		p.theta0 = append(p.theta0, b.hours)
	}
	for _, t := range c.model.Types { // in c.bases order
		p.keys = append(p.keys, "type:"+t.Name)
		for _, ph := range t.Phases {
			p.keys = append(p.keys, "phase:"+t.Name+"/"+ph.Name)
		}
	}
	for _, f := range c.model.Factors {
		p.params = append(p.params, Param{Name: f.Name, Kind: f.Kind})
		p.keys = append(p.keys, "factor:"+f.Name)
		p.theta0 = append(p.theta0, f.Value)
	}
	p.nparams = len(p.params)
	return p
}

// lookup returns the parameters that name designates, by qualified or
// plain name, in order.
func (p *problem) lookup(name string) []int {
	var js []int
	for j := range p.params {
		if p.keys[j] == name || p.params[j].Name == name {
			js = append(js, j)
		}
	}
	return js
}

// reference returns theta with each candidate that would hide others at
// zero moved away from it: a zero base takes the mean recorded hours of
// its observations (1 if that is zero; at most half of MaxHours, so that
// the cap does not hide it), and a zero multiplier takes 1.
func (p *problem) reference(theta []float64, cand []int) []float64 {
	ref := slices.Clone(theta)
	for _, j := range cand {
		if ref[j] != 0 {
			continue
		}
		switch p.params[j].Kind {
		case Base:
			var sum float64
			k := 0
			for i := range p.obs {
				if p.obs[i].base == j {
					sum += p.obs[i].y
					k++
				}
			}
			v := 1.0
			if k > 0 && sum > 0 {
				v = sum / float64(k)
			}
			if p.c.max > 0 {
				v = min(v, p.c.max/2)
			}
			ref[j] = v
		case Multiplier:
			ref[j] = 1
		}
	}
	return ref
}

// overflowAt returns the index of the observation at which the running sum
// of squared residuals under theta stops being finite, or -1.
func (p *problem) overflowAt(theta []float64) int {
	var sum float64
	for i := range p.obs {
		r := p.obs[i].y - p.eval(&p.obs[i], theta, nil)
		sum += r * r
		if !finite(sum) {
			return i
		}
	}
	return -1
}

// add records an observation with base index bi and attribute values vals.
func (p *problem) add(bi int, vals []float64, y float64) {
	o := pobs{base: bi, y: y}
	nb := len(p.c.bases)
	for _, f := range p.c.linear {
		u := vals[f.slot] - f.above
		if !(u > 0) {
			continue
		}
		o.lin = append(o.lin, pterm{p: nb + f.index, units: u, cap: f.cap, perUnit: f.kind == PerUnit})
	}
	for _, f := range p.c.mults {
		if u := vals[f.slot] - f.above; u > 0 {
			o.mul = append(o.mul, pterm{p: nb + f.index, units: u, cap: f.cap})
		}
	}
	p.obs = append(p.obs, o)
}

// eval returns the predicted hours of o under theta, with the same
// arithmetic as Compiled.Weigh. If grad is not nil, it receives the
// derivative of the prediction by each parameter.
func (p *problem) eval(o *pobs, theta, grad []float64) float64 {
	if grad != nil {
		clear(grad)
		grad[o.base] = 1
	}
	s := theta[o.base]
	for _, t := range o.lin {
		h, d := theta[t.p], 1.0
		if t.perUnit {
			h *= t.units
			d = t.units
		}
		if t.cap > 0 && h > t.cap {
			h = t.cap
		} else if grad != nil {
			grad[t.p] += d
		}
		s += h
	}
	for _, t := range o.mul {
		mu := theta[t.p]
		h := s * (mu - 1)
		if t.cap > 0 && h > t.cap {
			h = t.cap
		} else if grad != nil {
			// s' = s·mu: the earlier derivatives scale by mu, and ds'/dmu = s.
			for j := range grad {
				grad[j] *= mu
			}
			grad[t.p] += s
		}
		s += h
	}
	if max := p.c.max; max > 0 && s > max {
		s = max
		if grad != nil {
			clear(grad)
		}
	}
	return s
}

// sse returns the sum of squared residuals under theta, in observation
// order.
func (p *problem) sse(theta []float64) float64 {
	var sum float64
	for i := range p.obs {
		r := p.obs[i].y - p.eval(&p.obs[i], theta, nil)
		sum += r * r
	}
	return sum
}

// jacobian returns the residuals under theta and the derivatives of the
// predictions by the parameters in cols, one row per observation.
func (p *problem) jacobian(theta []float64, cols []int) (r []float64, J *mat.Dense) {
	n := len(p.obs)
	r = make([]float64, n)
	J = mat.NewDense(n, max(len(cols), 1), nil)
	grad := make([]float64, p.nparams)
	for i := range p.obs {
		r[i] = p.obs[i].y - p.eval(&p.obs[i], theta, grad)
		for k, j := range cols {
			J.Set(i, k, grad[j])
		}
	}
	return r, J
}

// support returns the number of observations whose prediction parameter j
// changes at theta.
func (p *problem) support(theta []float64, j int) int {
	_, J := p.jacobian(theta, []int{j})
	n := 0
	for i := range p.obs {
		if J.At(i, 0) != 0 {
			n++
		}
	}
	return n
}

// rankTol is the relative residual norm below which a Jacobian column
// counts as a combination of earlier columns.
const rankTol = 1e-8

// identify returns the parameters of cand (in order) that the data
// identifies at theta, by modified Gram–Schmidt on the Jacobian's columns
// taken in parameter order. It sets the status (and With) of the others.
func (p *problem) identify(theta []float64, cand []int, status []ParamStatus, with [][]string) []int {
	_, J := p.jacobian(theta, cand)
	var kept []int
	var basis [][]float64 // orthonormal
	var keptCols [][]float64
	for k, j := range cand {
		col := mat.Col(nil, k, J)
		// Scale the column to its largest entry, so that its norm neither
		// overflows nor underflows; the rank test is relative.
		var big float64
		for _, x := range col {
			big = max(big, math.Abs(x))
		}
		if big == 0 || !finite(big) {
			status[j], with[j] = NotObserved, nil
			continue
		}
		for i := range col {
			col[i] /= big
		}
		norm := math.Sqrt(dot(col, col))
		v := slices.Clone(col)
		for _, q := range basis {
			d := dot(q, v)
			for i := range v {
				v[i] -= d * q[i]
			}
		}
		rest := math.Sqrt(dot(v, v))
		if rest <= rankTol*norm {
			status[j], with[j] = Collinear, p.combination(col, keptCols, kept)
			continue
		}
		for i := range v {
			v[i] /= rest
		}
		basis = append(basis, v)
		keptCols = append(keptCols, col)
		kept = append(kept, j)
		status[j], with[j] = Fitted, nil
	}
	return kept
}

// combination returns the names of the parameters whose columns combine to
// col, by least squares.
func (p *problem) combination(col []float64, cols [][]float64, idx []int) []string {
	if len(cols) == 0 {
		return nil
	}
	n := len(col)
	A := mat.NewDense(n, len(cols), nil)
	for k, c := range cols {
		A.SetCol(k, c)
	}
	var x mat.Dense
	if err := x.Solve(A, mat.NewVecDense(n, slices.Clone(col))); err != nil && !isCondition(err) {
		return nil
	}
	norm := math.Sqrt(dot(col, col))
	var names []string
	for k, c := range cols {
		if math.Abs(x.At(k, 0))*math.Sqrt(dot(c, c)) > 1e-6*norm {
			names = append(names, p.params[idx[k]].Name)
		}
	}
	return names
}

func isCondition(err error) bool {
	var c mat.Condition
	return errors.As(err, &c)
}

// sumSquares accumulates a sum of squares as scale²·ssq, where scale is
// the largest magnitude added and 1 ≤ ssq ≤ the count added, as LAPACK's
// dlassq does. The sum itself is never formed, so its root is finite
// whenever the numbers are, even when their squares are not: after a
// round of fitting drops a parameter back to its given value, a case may
// be predicted at 4e282 h and its squared residual exceed the float64
// range, though the residual and the RMSE do not.
type sumSquares struct{ scale, ssq float64 }

// add adds x² to s.
func (s *sumSquares) add(x float64) {
	if x == 0 {
		return
	}
	a := math.Abs(x)
	if a > s.scale {
		q := s.scale / a
		s.ssq = 1 + s.ssq*q*q
		s.scale = a
		return
	}
	q := a / s.scale
	s.ssq += q * q
}

// rms returns √(sum/n), the root mean square of n numbers whose squares s
// holds. It is at most the largest magnitude added.
func (s sumSquares) rms(n int) float64 {
	return s.scale * math.Sqrt(s.ssq/float64(n))
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// levenbergMarquardt minimises the sum of squared residuals over the
// parameters in free, each at least zero, starting from theta0. It returns
// the estimate and the number of iterations.
func (p *problem) levenbergMarquardt(theta0 []float64, free []int, maxIter int) ([]float64, int) {
	if maxIter <= 0 {
		maxIter = 200
	}
	theta := slices.Clone(theta0)
	sse := p.sse(theta)
	lambda := 1e-3
	r, J := p.jacobian(theta, free)
	iter := 0
	for iter < maxIter && sse > 0 {
		iter++
		// Active set: parameters at zero whose gradient points below zero
		// stay there; the step is solved over the rest.
		// A parameter whose column is zero here (hidden by a cap or a
		// zero elsewhere) cannot move in this step either.
		var F []int // indexes into free
		var diag []float64
		for k, j := range free {
			g, d := 0.0, 0.0
			for i := range r {
				g += J.At(i, k) * r[i]
				d += J.At(i, k) * J.At(i, k)
			}
			if (theta[j] > 0 || g > 0) && d > 0 && finite(d) {
				F = append(F, k)
				diag = append(diag, d)
			}
		}
		if len(F) == 0 {
			break
		}
		n := len(r)
		A := mat.NewDense(n+len(F), len(F), nil)
		b := mat.NewVecDense(n+len(F), nil)
		for i := range n {
			for c, k := range F {
				A.Set(i, c, J.At(i, k))
			}
			b.SetVec(i, r[i])
		}
		improved := false
		for !improved && lambda < 1e12 {
			for c := range F {
				A.Set(n+c, c, math.Sqrt(lambda*diag[c]))
			}
			var step mat.Dense
			if err := step.Solve(A, b); err != nil && !isCondition(err) {
				lambda *= 10
				continue
			}
			cand := slices.Clone(theta)
			moved := 0.0
			for c, k := range F {
				j := free[k]
				x := theta[j] + step.At(c, 0)
				if !finite(x) {
					x = theta[j] // a failed solve; the step is rejected below
				}
				cand[j] = max(0, x)
				moved = max(moved, math.Abs(cand[j]-theta[j])/(math.Abs(theta[j])+1e-12))
			}
			next := p.sse(cand)
			if finite(next) && next < sse {
				improved = true
				small := sse-next <= 1e-14*sse || moved <= 1e-12
				theta, sse = cand, next
				lambda = max(lambda/10, 1e-12)
				r, J = p.jacobian(theta, free)
				if small {
					return theta, iter
				}
			} else {
				lambda *= 10
			}
		}
		if !improved {
			break
		}
	}
	return theta, iter
}

// leverageTol is how close to 1 a leverage h_ii may come before the
// observation counts as fitting itself exactly: its residual is then
// rounding noise, and HC3 would divide it by 1 − h_ii ≈ 0. Misjudging a
// leverage near the tolerance does no harm either way, since the residual
// is then about (1 − h_ii) times the noise.
const leverageTol = 1e-8

// stdErrors are the standard errors of the fitted parameters, indexed by
// parameter; entries of parameters not fitted are zero.
type stdErrors struct {
	classical []float64
	robust    []float64 // HC3
	// robustKnown reports whether robust is known: false when an
	// observation with leverage 1 moves the parameter (see lone) or its
	// HC3 variance is too large for a float64.
	robustKnown []bool
	// lone holds, for a parameter whose robust standard error is unknown,
	// the index of an observation with leverage 1 that moves it; -1
	// otherwise.
	lone []int
}

// stdErrs returns the classical and the HC3 standard errors of the
// parameters in free at theta, from the Jacobian J of the predictions
// there (the linearisation of the model at the estimate), and whether the
// information matrix JᵀJ is positive definite.
//
// With C = (JᵀJ)⁻¹, a_i = C J_iᵀ is how the estimate moves per hour
// recorded on observation i, and the leverage is h_ii = J_i a_i. The
// classical covariance is s²·C with s² = SSE/(n − k), and the HC3
// covariance of MacKinnon and White (1985) is Σ a_i a_iᵀ e_i²/(1 − h_ii)²;
// only the diagonals are needed. Its time is O(n·k²) and its memory O(k²)
// beyond J.
func (p *problem) stdErrs(theta []float64, free []int) (*stdErrors, bool) {
	r, J := p.jacobian(theta, free)
	n, k := len(r), len(free)
	// Work with J = J̃·D, each column scaled by a power of two 2^e_c near
	// its largest entry, so that the entries of J̃ᵀJ̃ are at most n. JᵀJ
	// itself overflows once a column holds 1e155 or more, as a
	// multiplier's does on a case predicted at 1e282 h, and then looks
	// singular although it is not. With C̃ = (J̃ᵀJ̃)⁻¹, C = D⁻¹C̃D⁻¹ and
	// a_i = D⁻¹ C̃ J̃_iᵀ, so each standard error is its C̃ counterpart
	// divided by 2^e_c, and the leverage J̃_i C̃ J̃_iᵀ is unchanged.
	// Scaling by powers of two is exact.
	exp := make([]int, k)
	for c := range k {
		var big float64
		for i := range n {
			big = max(big, math.Abs(J.At(i, c)))
		}
		if big == 0 || !finite(big) {
			return nil, false
		}
		_, exp[c] = math.Frexp(big)
		for i := range n {
			J.Set(i, c, math.Ldexp(J.At(i, c), -exp[c]))
		}
	}
	var info mat.SymDense
	info.SymOuterK(1, J.T())
	var ch mat.Cholesky
	if !ch.Factorize(&info) {
		return nil, false
	}
	var C mat.SymDense
	if err := ch.InverseTo(&C); err != nil && !isCondition(err) {
		return nil, false
	}
	// C̃ as a full row-major k×k matrix, so that the loop below reads it
	// without bounds checks on each entry.
	cs := make([]float64, k*k)
	for c := range k {
		for d := c; d < k; d++ {
			cs[c*k+d] = C.At(c, d)
			cs[d*k+c] = cs[c*k+d]
		}
	}
	// The HC3 variance of parameter c is Σ (a_ic·e_i/(1 − h_ii))², kept as
	// a sumSquares of the products, since e_i² alone may overflow (a
	// residual of 1e282 h) while a_ic·e_i does not.
	hc3 := make([]sumSquares, k)
	var lone []int        // observations with leverage 1
	var loneA [][]float64 // their ã_i
	a := make([]float64, k)
	var sse sumSquares
	for i := range n {
		sse.add(r[i])
		row := J.RawRowView(i)[:k]
		for c := range k {
			a[c] = dot(cs[c*k:c*k+k], row)
		}
		h := dot(row, a)
		if 1-h <= leverageTol {
			lone = append(lone, i)
			loneA = append(loneA, slices.Clone(a))
			continue
		}
		e := r[i] / (1 - h)
		for c := range k {
			hc3[c].add(a[c] * e)
		}
	}
	s := sse.rms(n - k) // √(SSE/(n − k)), without forming SSE
	se := &stdErrors{
		classical:   make([]float64, p.nparams),
		robust:      make([]float64, p.nparams),
		robustKnown: make([]bool, p.nparams),
		lone:        make([]int, p.nparams),
	}
	for j := range se.lone {
		se.lone[j] = -1
	}
	for c, j := range free {
		cov := cs[c*k+c]
		if !(cov >= 0) {
			return nil, false
		}
		v := math.Ldexp(s*math.Sqrt(cov), -exp[c])
		if !finite(v) {
			return nil, false
		}
		se.classical[j] = v
		// An observation with leverage 1 moves parameter c when its a_c
		// is more than rounding next to √C_cc, the root of Σ a_c² over
		// all observations; the test reads the same on ã and C̃.
		for l, al := range loneA {
			if math.Abs(al[c]) > 1e-6*math.Sqrt(cov) {
				se.lone[j] = lone[l]
				break
			}
		}
		if rv := math.Ldexp(hc3[c].rms(1), -exp[c]); se.lone[j] < 0 && finite(rv) {
			se.robust[j], se.robustKnown[j] = rv, true
		}
	}
	return se, true
}

// apply returns the compiled model with each fitted parameter set to its
// estimate.
func (p *problem) apply(theta []float64, status []ParamStatus) Model {
	m := p.c.Model()
	j := 0
	for t := range m.Types {
		if status[j] == Fitted {
			m.Types[t].Hours = HoursPerWeek(theta[j])
		}
		j++
		for ph := range m.Types[t].Phases {
			if status[j] == Fitted {
				m.Types[t].Phases[ph].Hours = HoursPerWeek(theta[j])
			}
			j++
		}
	}
	for f := range m.Factors {
		if status[j] == Fitted {
			m.Factors[f].Value = theta[j]
		}
		j++
	}
	return m
}
