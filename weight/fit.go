package weight

import (
	"fmt"
	"math"
	"slices"
)

// An Observation is a case with the hours per week it really took, e.g.
// from time registration.
type Observation struct {
	// Attributes describe the case.
	Attributes Attributes
	// Hours is the recorded time spent on the case. It must be finite and
	// not negative; zero means no time was spent.
	Hours HoursPerWeek
}

// FitOptions adjust [Fit]. A nil *FitOptions means the zero value.
type FitOptions struct {
	// IgnoreUnknown skips unknown attributes and phases of observations,
	// as [Options].IgnoreUnknown does. False reports them as errors.
	IgnoreUnknown bool
	// Fixed names parameters, as in [Param].Name, that keep their given
	// values. Nil means every parameter the data identifies is fitted.
	Fixed []string
	// MaxIterations bounds the Levenberg–Marquardt iterations. Zero means
	// 200.
	MaxIterations int
}

// ParamStatus says whether [Fit] fitted a parameter, and if not, why.
type ParamStatus int

const (
	// Fitted means the parameter was estimated from the data.
	Fitted ParamStatus = iota
	// Fixed means the caller asked to keep the given value.
	Fixed
	// NotObserved means no observation lets the parameter change the
	// predicted hours: no case of that type or phase, or with that
	// attribute above the threshold, or the factor is capped on all of
	// them. The given value is kept.
	NotObserved
	// Collinear means the parameter's effect on the observations is a
	// combination of other parameters' effects (listed in [Param].With),
	// e.g. a flag set on every case of its type. The given value is kept.
	Collinear
)

var statusNames = [...]string{"fitted", "fixed", "not observed", "collinear"}

// String returns e.g. "not observed".
func (s ParamStatus) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("ParamStatus(%d)", int(s))
	}
	return statusNames[s]
}

// A Param is one parameter of a model as calibrated by [Fit].
type Param struct {
	// Name is the type's name ("ots"), "type/phase" ("ots/intake") for a
	// base, or the factor's name.
	Name string
	// Kind is Base for base hours, or the factor's kind.
	Kind Kind
	// Given is the value in the model passed to Fit: hours per week for a
	// base, an additive or a per-unit factor; a pure number for a
	// multiplier.
	Given float64
	// Estimate is the fitted value, in the unit of Given; Given when the
	// parameter was not fitted.
	Estimate float64
	// StdErr is the estimate's standard error, in the unit of Given, from
	// the linearised model at the estimate. Zero when not fitted, or in
	// the rare case that the information matrix is singular at the
	// estimate although the data identified the parameter.
	StdErr float64
	// Status says whether the parameter was fitted.
	Status ParamStatus
	// With lists, for a Collinear parameter, the fitted parameters whose
	// effects combine to its effect.
	With []string
	// AtBound reports that the estimate is held at zero by the
	// non-negativity constraint.
	AtBound bool
	// Support is the number of observations in which the parameter
	// changes the predicted hours.
	Support int
}

// TypeResidual summarises the residuals (recorded minus predicted hours)
// of the observations of one case type.
type TypeResidual struct {
	// Type names the case type.
	Type string
	// N is the number of observations of the type.
	N int
	// Mean is the mean residual: positive means the fitted model predicts
	// less work than was recorded.
	Mean HoursPerWeek
	// RMSE is the root mean square residual.
	RMSE HoursPerWeek
}

// A Calibration is the result of [Fit]: the fitted model and how well it
// matches the recorded hours.
type Calibration struct {
	// Model is the given model with each fitted parameter replaced by its
	// estimate. Caps, thresholds, severities and unfitted values are kept.
	Model Model
	// N is the number of observations.
	N int
	// R2 is the coefficient of determination, 1 − SSE/SST, of the fitted
	// model on the observations. It is at most 1; it may be negative when
	// the model predicts worse than the mean.
	R2 float64
	// RMSE is the root mean square residual.
	RMSE HoursPerWeek
	// ByType summarises residuals by case type, in model order, for the
	// types that have observations.
	ByType []TypeResidual
	// Params lists every parameter: the bases in model order (each type,
	// then its phases), then the factors in model order.
	Params []Param
	// Iterations is the number of Levenberg–Marquardt iterations.
	Iterations int
}

// Unidentified returns the names of the parameters the data cannot
// identify (NotObserved or Collinear), in Params order. Nil means none.
func (c *Calibration) Unidentified() []string {
	var out []string
	for _, p := range c.Params {
		if p.Status == NotObserved || p.Status == Collinear {
			out = append(out, p.Name)
		}
	}
	return out
}

// Fit estimates m's base hours and factor values from observations of
// recorded hours, by non-linear least squares under non-negativity:
// projected Levenberg–Marquardt (Marquardt 1963, "An algorithm for
// least-squares estimation of nonlinear parameters") with an active set
// for parameters held at zero, each step solved by QR least squares with
// gonum's mat. It starts from m's values, so a sensible model converges
// fast; a model without multipliers is linear and needs a few iterations.
//
// It fits what the data identifies. Parameters that no observation
// affects, or whose effect is a combination of earlier parameters' effects
// (bases first, then factors in model order), keep their given values and
// are marked [NotObserved] or [Collinear]; caps, thresholds, severities
// and MaxHours are never fitted. Standard errors come from the Jacobian at
// the estimate, with the residual variance SSE/(n − k) for k fitted
// parameters.
//
// It returns the errors of [Model.Validate]; every fault in obs and opts
// at once, as [*InputError] values whose Field starts with
// "Observations[i]" or "Fixed"; [ErrTooFewObservations] unless there are
// more observations than fitted parameters; [ErrNoVariance] when all
// recorded hours are equal; and [ErrNothingToFit] when the data identifies
// no parameter. Its time is O(I·n·k²) for n observations, k parameters and
// I iterations.
func Fit(m Model, obs []Observation, opts *FitOptions) (*Calibration, error) {
	var o FitOptions
	if opts != nil {
		o = *opts
	}
	c, err := Compile(m, &Options{IgnoreUnknown: o.IgnoreUnknown})
	if err != nil {
		return nil, err
	}
	p := newProblem(c)
	var fs faults
	fixed := make([]bool, p.nparams)
	for _, name := range o.Fixed {
		found := false
		for j, pm := range p.params {
			if pm.Name == name {
				fixed[j], found = true, true
			}
		}
		if !found {
			fs.add("Fixed", name, ErrUnknownParameter)
		}
	}
	vals := make([]float64, c.slots)
	for i := range obs {
		clear(vals)
		field := fmt.Sprintf("Observations[%d]", i)
		bi, _, ofs := c.read(&obs[i].Attributes, vals)
		for _, e := range ofs {
			ie := e.(*InputError)
			ie.Field = field + ".Attributes." + ie.Field
			fs = append(fs, ie)
		}
		y := float64(obs[i].Hours)
		switch {
		case !finite(y):
			fs = append(fs, &InputError{Case: obs[i].Attributes.ID, Field: field + ".Hours", Err: ErrNotFinite})
		case y < 0:
			fs = append(fs, &InputError{Case: obs[i].Attributes.ID, Field: field + ".Hours", Err: ErrNegative})
		}
		if len(ofs) == 0 {
			p.add(bi, vals, y)
		}
	}
	if err := fs.err(); err != nil {
		return nil, err
	}
	n := len(p.obs)
	if n == 0 {
		return nil, fmt.Errorf("%w: none given", ErrTooFewObservations)
	}
	var mean, sst float64
	for _, ob := range p.obs {
		mean += ob.y
	}
	mean /= float64(n)
	for _, ob := range p.obs {
		sst += (ob.y - mean) * (ob.y - mean)
	}
	if !(sst > 0) {
		return nil, fmt.Errorf("%w: all %d observations are %v", ErrNoVariance, n, HoursPerWeek(p.obs[0].y))
	}

	given := slices.Clone(p.theta0)
	status := make([]ParamStatus, p.nparams)
	with := make([][]string, p.nparams)
	var cand []int
	for j := range p.nparams {
		if fixed[j] {
			status[j] = Fixed
		} else {
			cand = append(cand, j)
		}
	}
	if sse := p.sse(given); !finite(sse) {
		return nil, fmt.Errorf("%w: the given model's predictions", ErrOverflow)
	}
	theta, iters := given, 0
	free := cand
	// Identify at the given values, fit, and check again at the estimate:
	// a cap or a zero may hide a parameter there. Each round drops at least
	// one parameter, so this ends.
	for {
		free = p.identify(given, free, status, with)
		if len(free) == 0 {
			return nil, ErrNothingToFit
		}
		if n <= len(free) {
			return nil, fmt.Errorf("%w: %d for %d identifiable parameters", ErrTooFewObservations, n, len(free))
		}
		var it int
		theta, it = p.levenbergMarquardt(given, free, o.MaxIterations)
		iters += it
		kept := p.identify(theta, free, status, with)
		if len(kept) == len(free) {
			break
		}
		free = kept
	}
	se, ok := p.stdErrs(theta, free)
	if !ok {
		// The information matrix is singular at the estimate although each
		// column passed the rank test: report zero errors rather than fail.
		se = make([]float64, p.nparams)
	}

	cal := &Calibration{N: n, Iterations: iters}
	for j, pm := range p.params {
		pm.Given = given[j]
		pm.Estimate = given[j]
		pm.Status = status[j]
		pm.With = with[j]
		pm.Support = p.support(theta, j)
		if status[j] == Fitted {
			pm.Estimate = theta[j]
			pm.StdErr = se[j]
			pm.AtBound = theta[j] == 0
		}
		cal.Params = append(cal.Params, pm)
	}
	cal.Model = p.apply(theta, status)

	var sse float64
	byType := make([]TypeResidual, len(c.model.Types))
	sums := make([]float64, len(byType))
	sqs := make([]float64, len(byType))
	for _, ob := range p.obs {
		r := ob.y - p.eval(&ob, theta, nil)
		sse += r * r
		t := c.bases[ob.base].typ
		byType[t].N++
		sums[t] += r
		sqs[t] += r * r
	}
	cal.R2 = 1 - sse/sst
	cal.RMSE = HoursPerWeek(math.Sqrt(sse / float64(n)))
	for t, tr := range byType {
		if tr.N == 0 {
			continue
		}
		tr.Type = c.model.Types[t].Name
		tr.Mean = HoursPerWeek(sums[t] / float64(tr.N))
		tr.RMSE = HoursPerWeek(math.Sqrt(sqs[t] / float64(tr.N)))
		cal.ByType = append(cal.ByType, tr)
	}
	return cal, nil
}
