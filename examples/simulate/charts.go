package main

import (
	"image/color"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/caseload/caseload/balance/sim"
)

// drawCharts draws the three charts of the study into dir: the maximum
// utilization over time per policy, its mean over replications with the
// band from the lowest to the highest replication; the spread of every
// worker's weekly utilization per policy, as box plots; and the mean
// queue length over time per policy.
func drawCharts(dir string, sr *sim.StudyResult) ([]string, error) {
	maxUtil := plot.New()
	maxUtil.Title.Text = "Maximum utilization per week (mean and range of replications)"
	maxUtil.X.Label.Text = "week"
	maxUtil.Y.Label.Text = "utilization (%)"
	queue := plot.New()
	queue.Title.Text = "Cases waiting for a worker after the meeting (mean of replications)"
	queue.X.Label.Text = "week"
	queue.Y.Label.Text = "cases"
	spread := plot.New()
	spread.Title.Text = "Weekly utilization of each worker"
	spread.Y.Label.Text = "utilization (%)"
	var names []string
	for i, runs := range sr.Runs {
		name := sr.Policies[i]
		names = append(names, name)
		weeks := len(runs[0].Weeks)
		mean, lo, hi, q := make(plotter.XYs, weeks), make(plotter.XYs, weeks), make(plotter.XYs, weeks), make(plotter.XYs, weeks)
		var utils plotter.Values
		for k := range weeks {
			x := float64(k)
			mean[k].X, lo[k].X, hi[k].X, q[k].X = x, x, x, x
			lo[k].Y, hi[k].Y = math.Inf(1), math.Inf(-1)
			for _, r := range runs {
				wk := r.Weeks[k]
				u := 100 * wk.MaxUtilization
				mean[k].Y += u / float64(len(runs))
				lo[k].Y, hi[k].Y = min(lo[k].Y, u), max(hi[k].Y, u)
				q[k].Y += float64(wk.Queued) / float64(len(runs))
				for _, w := range wk.Workers {
					if w.Capacity > 0 {
						utils = append(utils, 100*w.Utilization)
					}
				}
			}
		}
		c := plotutil.Color(i)
		band := append(lo, reverse(hi)...)
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, err
		}
		r, g, b, _ := c.RGBA()
		poly.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 40}
		poly.LineStyle.Width = 0
		line, err := plotter.NewLine(mean)
		if err != nil {
			return nil, err
		}
		line.Color = c
		maxUtil.Add(poly, line)
		maxUtil.Legend.Add(name, line)
		ql, err := plotter.NewLine(q)
		if err != nil {
			return nil, err
		}
		ql.Color = c
		queue.Add(ql)
		queue.Legend.Add(name, ql)
		if len(utils) == 0 {
			utils = plotter.Values{0}
		}
		box, err := plotter.NewBoxPlot(vg.Points(20), float64(i), utils)
		if err != nil {
			return nil, err
		}
		box.FillColor = c
		spread.Add(box)
	}
	spread.NominalX(names...)
	maxUtil.Legend.Top = true
	queue.Legend.Top = true
	files := []struct {
		name string
		p    *plot.Plot
		w    vg.Length
	}{
		{"max-utilization.png", maxUtil, 24 * vg.Centimeter},
		{"utilization-spread.png", spread, 24 * vg.Centimeter},
		{"queue.png", queue, 24 * vg.Centimeter},
	}
	var out []string
	for _, f := range files {
		if err := f.p.Save(f.w, 14*vg.Centimeter, filepath.Join(dir, f.name)); err != nil {
			return nil, err
		}
		out = append(out, f.name)
	}
	return out, nil
}

// reverse returns xy in reverse order.
func reverse(xy plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xy))
	for i, p := range xy {
		out[len(xy)-1-i] = p
	}
	return out
}
