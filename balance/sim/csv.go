package sim

import (
	"encoding/csv"
	"io"
	"strconv"
)

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// WriteWeeksCSV writes one row per run and week, with a header: policy,
// replication, week, date and the team's figures of [WeekResult]
// (utilization as fractions, loads in hours per week).
func WriteWeeksCSV(w io.Writer, runs []*Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"policy", "replication", "week", "date", "max_utilization", "mean_utilization", "utilization_cv", "gini", "count_cv",
		"over110", "overload_hours", "arrived", "open", "queued", "closed", "placed", "replaced", "moves", "declines",
		"wait_days", "waited_past", "closed_now", "lead_time_weeks", "lead_time_over", "signals_info", "signals_warning", "signals_critical"})
	for _, r := range runs {
		for _, x := range r.Weeks {
			cw.Write([]string{r.Policy, strconv.Itoa(r.Replication), strconv.Itoa(x.Week), x.Date.String(),
				ftoa(x.MaxUtilization), ftoa(x.MeanUtilization), ftoa(x.UtilizationCV), ftoa(x.Gini), ftoa(x.CountCV),
				strconv.Itoa(x.Over110), ftoa(float64(x.OverloadHours)), strconv.Itoa(x.Arrived), strconv.Itoa(x.Open),
				strconv.Itoa(x.Queued), strconv.Itoa(x.Closed), strconv.Itoa(x.Placed), strconv.Itoa(x.Replaced),
				strconv.Itoa(x.Moves), strconv.Itoa(x.Declines), ftoa(x.WaitDays), strconv.Itoa(x.WaitedPast),
				strconv.Itoa(x.ClosedNow), ftoa(x.LeadTimeWeeks), strconv.Itoa(x.LeadTimeOver),
				strconv.Itoa(x.Signals.Info), strconv.Itoa(x.Signals.Warning), strconv.Itoa(x.Signals.Critical)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteWorkersCSV writes one row per run, week and worker, with a
// header: capacity and load in hours per week, utilization as a
// fraction, open cases. Runs without worker rows write none.
func WriteWorkersCSV(w io.Writer, runs []*Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"policy", "replication", "week", "date", "worker", "capacity", "load", "utilization", "cases"})
	for _, r := range runs {
		for _, x := range r.Weeks {
			for _, k := range x.Workers {
				cw.Write([]string{r.Policy, strconv.Itoa(r.Replication), strconv.Itoa(x.Week), x.Date.String(), k.Worker,
					ftoa(float64(k.Capacity)), ftoa(float64(k.Load)), ftoa(k.Utilization), strconv.Itoa(k.Cases)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummaryCSV writes one row per run, with a header: policy,
// replication and every [Metric], unscaled.
func WriteSummaryCSV(w io.Writer, runs []*Result) error {
	cw := csv.NewWriter(w)
	ms := Metrics()
	head := []string{"policy", "replication"}
	for _, m := range ms {
		head = append(head, m.Name)
	}
	cw.Write(head)
	for _, r := range runs {
		row := []string{r.Policy, strconv.Itoa(r.Replication)}
		for _, m := range ms {
			row = append(row, ftoa(m.Of(r.Summary)))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// All returns every run of the study, policy by policy, each by
// replication.
func (sr *StudyResult) All() []*Result {
	var out []*Result
	for _, runs := range sr.Runs {
		out = append(out, runs...)
	}
	return out
}
