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
	Attributes Attributes `json:"attributes"`
	// Hours is the recorded time spent on the case, in hours per week. It
	// must be finite and not negative; zero means no time was spent.
	Hours HoursPerWeek `json:"hours"`
}

// FitOptions adjust [Fit]. A nil *FitOptions means the zero value.
type FitOptions struct {
	// IgnoreUnknown skips unknown attributes and phases of observations,
	// as [Options].IgnoreUnknown does. False reports them as errors.
	IgnoreUnknown bool
	// Fixed names parameters that keep their given values. A name is
	// qualified, as "type:NAME" for a type's base hours,
	// "phase:TYPE/PHASE" for a phase's, or "factor:NAME" for a factor's
	// value; or plain, as in [Param].Name. A name that matches no
	// parameter is an error wrapping [ErrUnknownParameter]; one that
	// matches more than one (a type and a factor both named "court") is an
	// error wrapping [ErrAmbiguous]. Nil means every parameter the data
	// identifies is fitted.
	Fixed []string
	// MaxIterations bounds the Levenberg–Marquardt iterations of each
	// round of fitting. Zero means 200.
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
	// StdErr is the estimate's classical standard error, in the unit of
	// Given, when StdErrKnown; zero otherwise. It assumes that the noise
	// in the recorded hours has the same variance for every case, and
	// reads that variance from the residuals: SSE/(n − k) for n
	// observations and k fitted parameters. Zero with StdErrKnown means
	// the fitted model matches the observations exactly. See [Fit] for
	// when to read it and when RobustStdErr.
	StdErr float64
	// StdErrKnown reports whether StdErr is known. It is false for a
	// parameter that was not fitted; and for every fitted parameter when
	// the fit leaves no residual degree of freedom (as many observations as
	// fitted parameters: the fit is exact and says nothing of the noise),
	// or in the rare case that the information matrix is singular at the
	// estimate although the data identified the parameters. The
	// Calibration's Notes then say why.
	StdErrKnown bool
	// RobustStdErr is the estimate's heteroscedasticity-robust standard
	// error (HC3), in the unit of Given, when RobustStdErrKnown; zero
	// otherwise. It stays valid when the noise grows with the size of a
	// case, as it does in recorded hours: it weighs each observation's
	// own squared residual, inflated by its leverage. See [Fit].
	RobustStdErr float64
	// RobustStdErrKnown reports whether RobustStdErr is known. It is
	// false whenever StdErrKnown is; and for a parameter that some
	// observation alone determines (leverage 1, as the only case of a
	// phase), since that observation's residual is zero whatever the
	// noise. The Calibration's Notes then name the observation.
	RobustStdErrKnown bool
	// Status says whether the parameter was fitted.
	Status ParamStatus
	// With lists, for a Collinear parameter, the fitted parameters whose
	// effects combine to its effect.
	With []string
	// AtBound reports that the estimate is held at zero by the
	// non-negativity constraint.
	AtBound bool
	// Support is the number of observations in which the parameter
	// changes the predicted hours. Zero means none (NotObserved).
	Support int
}

// TypeResidual summarises the residuals (recorded minus predicted hours)
// of the observations of one case type.
type TypeResidual struct {
	// Type names the case type.
	Type string
	// N is the number of observations of the type.
	N int
	// Mean is the mean residual, in hours per week: positive means the
	// fitted model predicts less work than was recorded.
	Mean HoursPerWeek
	// RMSE is the root mean square residual, in hours per week.
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
	// R2 is the coefficient of determination, 1 − SSE/SST, a pure number,
	// of the fitted model on the observations, when R2Known. It is at
	// most 1; it may be negative when the model predicts worse than the
	// mean. It is 0 when not R2Known.
	R2 float64
	// R2Known reports whether R2 is defined: false when the recorded
	// hours do not vary (SST is zero), as when every observation records
	// the same hours, or vary so little next to the residuals that
	// SSE/SST overflows.
	R2Known bool
	// RMSE is the root mean square residual, in hours per week.
	RMSE HoursPerWeek
	// ByType summarises residuals by case type, in model order, for the
	// types that have observations.
	ByType []TypeResidual
	// Params lists every parameter: the bases in model order (each type,
	// then its phases), then the factors in model order.
	Params []Param
	// DoF is the residual degrees of freedom: N minus the number of
	// fitted parameters. Zero means the fit is exact and standard errors
	// are unknown.
	DoF int
	// Iterations is the number of Levenberg–Marquardt iterations, over
	// all rounds of fitting.
	Iterations int
	// Notes explain, in English, what the calibration could not tell: why
	// standard errors (classical or robust) or R² are unknown. Nil means
	// nothing to note.
	Notes []string
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
// and MaxHours are never fitted. What the data identifies is decided
// first at a reference point where nothing is zero: the given values,
// except that a zero base takes the mean recorded hours of its cases (at
// most half of MaxHours) and a zero multiplier takes 1, so that a zero
// base hides no multiplier. Fitting starts there; it then decides again
// at the estimate, over every parameter not Fixed, and refits until both
// agree (after 8 rounds, it only drops parameters, so it ends).
//
// Fit reports two standard errors for each fitted parameter, both from
// the Jacobian J of the predictions at the estimate (the model
// linearised there; a model without multipliers is linear and J is its
// design matrix). [Param].StdErr is the classical one, from s²·(JᵀJ)⁻¹
// with the residual variance s² = SSE/(n − k) for n observations and k
// fitted parameters. [Param].RobustStdErr is the
// heteroscedasticity-consistent one HC3 (MacKinnon and White 1985, "Some
// heteroskedasticity-consistent covariance matrix estimators with
// improved finite sample properties", Journal of Econometrics 29(3)),
// from (JᵀJ)⁻¹ Jᵀ diag(e_i²/(1 − h_ii)²) J (JᵀJ)⁻¹ with residuals e_i
// and leverages h_ii = J_i (JᵀJ)⁻¹ J_iᵀ.
//
// Read RobustStdErr unless the noise is known to be the same size for
// every case. In recorded hours it is not: a case twice as heavy varies
// about twice as much, and then StdErr, which spreads the noise evenly
// over all cases, is too narrow for the parameters that the big cases
// decide (a 95% interval of ±1.96 StdErr may hold the true value far less
// often than 95%) and too wide for those that the small cases decide.
// When the two agree, the noise is about constant, and StdErr, which
// varies less from sample to sample, is the sharper of the two. A
// RobustStdErr much larger than StdErr says that the parameter rests on
// a few noisy cases. Long and Ervin (2000, "Using heteroscedasticity
// consistent standard errors in the linear regression model", The
// American Statistician 54(3)) recommend HC3 over the other robust
// estimators for samples below about 250.
//
// When n = k the fit is exact: both standard errors are unknown
// ([Param].StdErrKnown and [Param].RobustStdErrKnown are false) and the
// Calibration's Notes say so. A parameter that one observation alone
// determines (leverage 1) has a classical standard error but no robust
// one, since that observation's residual is zero whatever the noise; the
// Notes name the observation. When the recorded hours do not vary, R² is
// undefined ([Calibration].R2Known is false). None of these is an error:
// outputs are always finite numbers.
//
// It returns the errors of [Model.Validate]; every fault in obs and opts
// at once, as [*InputError] values whose Field starts with
// "Observations[i]" or "Fixed"; an [*InputError] wrapping [ErrOverflow]
// naming the observation whose recorded hours, or whose squared residual
// under the starting values, exceed the float64 range, or whose weight
// under the fitted model does (a parameter that the data stop
// identifying at the estimate goes back to its given value, which may
// scale a case beyond anything fitted); and an error
// wrapping [ErrNothingToFit] when there are no observations or they
// identify no parameter. Its time is O(R·I·n·k²) for n observations, k
// parameters, I iterations and R rounds.
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
		switch js := p.lookup(name); len(js) {
		case 0:
			fs.add("Fixed", name, ErrUnknownParameter)
		case 1:
			fixed[js[0]] = true
		default:
			fs.add("Fixed", name, ErrAmbiguous)
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
		return nil, fmt.Errorf("%w: no observations", ErrNothingToFit)
	}
	// Every observation is in p.obs now, in order, so index i names
	// Observations[i].
	overflow := func(i int) error {
		return &InputError{Case: obs[i].Attributes.ID, Field: fmt.Sprintf("Observations[%d].Hours", i), Err: ErrOverflow}
	}
	// Σy² bounds the mean's sum and SST, so checking it keeps them finite.
	var mean, sumSq float64
	for i, ob := range p.obs {
		mean += ob.y
		sumSq += ob.y * ob.y
		if !finite(sumSq) {
			return nil, overflow(i)
		}
	}
	mean /= float64(n)
	var sst float64
	for _, ob := range p.obs {
		sst += (ob.y - mean) * (ob.y - mean)
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
	ref := p.reference(given, cand)
	theta := slices.Clone(given)
	free := p.identify(ref, cand, status, with)
	if len(free) == 0 {
		return nil, ErrNothingToFit
	}
	for _, j := range free {
		theta[j] = ref[j]
	}
	if i := p.overflowAt(theta); i >= 0 {
		return nil, overflow(i)
	}
	// Fit, then decide again at the estimate what the data identifies:
	// a cap or a zero may hide a parameter there, or reveal one. After
	// maxRounds, only drop parameters, which ends.
	const maxRounds = 8
	iters := 0
	for round := 1; ; round++ {
		var it int
		theta, it = p.levenbergMarquardt(theta, free, o.MaxIterations)
		iters += it
		among := cand
		if round >= maxRounds {
			among = free
		}
		next := p.identify(theta, among, status, with)
		if slices.Equal(next, free) {
			break
		}
		if len(next) == 0 {
			return nil, ErrNothingToFit
		}
		free = next
		for j := range theta {
			if !slices.Contains(free, j) {
				theta[j] = given[j]
			}
		}
	}

	cal := &Calibration{N: n, Iterations: iters, DoF: max(n-len(free), 0)}
	var se *stdErrors
	switch {
	case cal.DoF == 0:
		cal.Notes = append(cal.Notes, fmt.Sprintf("%d observations for %d fitted parameters leave no residual degree of freedom: the fit is exact and the standard errors are unknown", n, len(free)))
	default:
		var ok bool
		if se, ok = p.stdErrs(theta, free); !ok {
			se = nil
			cal.Notes = append(cal.Notes, "the information matrix is singular at the estimate: the standard errors are unknown")
		}
	}
	for j, pm := range p.params {
		pm.Given = given[j]
		pm.Estimate = given[j]
		pm.Status = status[j]
		pm.With = with[j]
		pm.Support = p.support(theta, j)
		if status[j] == Fitted {
			pm.Estimate = theta[j]
			pm.AtBound = theta[j] == 0
			if se != nil {
				pm.StdErr, pm.StdErrKnown = se.classical[j], true
				pm.RobustStdErr, pm.RobustStdErrKnown = se.robust[j], se.robustKnown[j]
				switch {
				case se.lone[j] >= 0:
					cal.Notes = append(cal.Notes, fmt.Sprintf("Observations[%d] alone determines %s (leverage 1): its residual is zero whatever the noise, so the robust standard error of %s is unknown", se.lone[j], quote(pm.Name), quote(pm.Name)))
				case !se.robustKnown[j]:
					cal.Notes = append(cal.Notes, fmt.Sprintf("the robust standard error of %s is too large for a float64 and is unknown", quote(pm.Name)))
				}
			}
		}
		cal.Params = append(cal.Params, pm)
	}
	cal.Model = p.apply(theta, status)

	// The residuals at the estimate are finite: the recorded hours are,
	// and so is each prediction, which Weigh of the fitted model gives.
	// Their squares need not be. Rounds of fitting only check the sum of
	// squares of the parameters they move, and a parameter that a round
	// drops goes back to its given value, which may scale a case's
	// prediction far beyond what was fitted (4e282 h for a case with a
	// distance of 1.8e308 and a multiplier fitted meanwhile). The sums
	// below are therefore scaled (sumSquares), and the means summed as
	// r/N, so that what is finite in the fitted model is finite here.
	// A prediction that is not finite is the fitted weight of the case
	// overflowing, as Weigh would report for it.
	res := make([]float64, n)
	byType := make([]TypeResidual, len(c.model.Types))
	for i := range p.obs {
		ob := &p.obs[i]
		res[i] = ob.y - p.eval(ob, theta, nil)
		if !finite(res[i]) {
			return nil, &InputError{Case: obs[i].Attributes.ID, Field: fmt.Sprintf("Observations[%d].Attributes", i), Err: ErrOverflow}
		}
		byType[c.bases[ob.base].typ].N++
	}
	var all sumSquares
	sqs := make([]sumSquares, len(byType))
	for i := range p.obs {
		t := c.bases[p.obs[i].base].typ
		all.add(res[i])
		sqs[t].add(res[i])
		byType[t].Mean += HoursPerWeek(res[i] / float64(byType[t].N))
	}
	// SSE/SST = scale²·ssq/SST = (scale/√SST)²·ssq, without forming SSE.
	q := all.scale / math.Sqrt(sst)
	switch r2 := 1 - q*q*all.ssq; {
	case !(sst > 0):
		cal.Notes = append(cal.Notes, fmt.Sprintf("all %d observations record %v: R² is undefined and reported as 0", n, HoursPerWeek(p.obs[0].y)))
	case !finite(r2):
		cal.Notes = append(cal.Notes, "the residuals are too large next to the spread of the recorded hours for R² to be a finite number: it is reported as 0")
	default:
		cal.R2, cal.R2Known = r2, true
	}
	cal.RMSE = HoursPerWeek(all.rms(n))
	for t, tr := range byType {
		if tr.N == 0 {
			continue
		}
		tr.Type = c.model.Types[t].Name
		tr.RMSE = HoursPerWeek(sqs[t].rms(tr.N))
		cal.ByType = append(cal.ByType, tr)
	}
	return cal, nil
}
