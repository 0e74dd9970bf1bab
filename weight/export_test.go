package weight

// Predict returns the hours that Fit's internal evaluation predicts for a
// under c's own values, and its gradient by every parameter, so tests can
// check that fitting and weighing agree exactly.
func Predict(c *Compiled, a Attributes) (float64, []float64, error) {
	vals := make([]float64, c.slots)
	bi, _, fs := c.read(&a, vals)
	if len(fs) > 0 {
		return 0, nil, fs.err()
	}
	p := newProblem(c)
	p.add(bi, vals, 0)
	grad := make([]float64, p.nparams)
	return p.eval(&p.obs[0], p.theta0, grad), grad, nil
}
