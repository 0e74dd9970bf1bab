package balance

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/caseload/caseload/civil"
)

// UnmarshalJSON decodes a Problem. A date that is not "2006-01-02" or
// does not exist gives an [*InputError] for each such date, naming the
// field and the worker or case, that wraps [ErrBadDate]; other faults
// are the errors of [encoding/json]. Values are not validated here:
// [Prepare] does that.
func (p *Problem) UnmarshalJSON(b []byte) error {
	type plain Problem // without this method
	err := json.Unmarshal(b, (*plain)(p))
	if err == nil || !errors.Is(err, civil.ErrBadDate) {
		return err
	}
	if located := locateBadDates(b); located != nil {
		return located
	}
	return err
}

// locateBadDates decodes b again with every date as raw text and
// reports each date that does not decode, or nil when it cannot tell.
// It runs only when decoding has already failed on a date.
func locateBadDates(b []byte) error {
	type rawPeriod struct {
		From json.RawMessage `json:"from"`
		To   json.RawMessage `json:"to"`
	}
	var loose struct {
		AsOf    json.RawMessage `json:"as_of"`
		Workers []struct {
			ID       json.RawMessage `json:"id"`
			Absences []rawPeriod     `json:"absences"`
		} `json:"workers"`
		Cases []struct {
			ID       json.RawMessage `json:"id"`
			Arrived  json.RawMessage `json:"arrived"`
			Assigned json.RawMessage `json:"assigned"`
			Deadline json.RawMessage `json:"deadline"`
		} `json:"cases"`
	}
	if json.Unmarshal(b, &loose) != nil {
		return nil
	}
	var errs []error
	check := func(field string, id json.RawMessage, raw json.RawMessage) {
		if raw == nil {
			return
		}
		var d civil.Date
		if err := d.UnmarshalJSON(raw); err != nil {
			var name string
			_ = json.Unmarshal(id, &name) // an ID that is not a string names nothing
			errs = append(errs, &InputError{Field: field, ID: name, Err: err})
		}
	}
	check("AsOf", nil, loose.AsOf)
	for i, w := range loose.Workers {
		for j, a := range w.Absences {
			check(fmt.Sprintf("Workers[%d].Absences[%d].From", i, j), w.ID, a.From)
			check(fmt.Sprintf("Workers[%d].Absences[%d].To", i, j), w.ID, a.To)
		}
	}
	for i, c := range loose.Cases {
		check(fmt.Sprintf("Cases[%d].Arrived", i), c.ID, c.Arrived)
		check(fmt.Sprintf("Cases[%d].Assigned", i), c.ID, c.Assigned)
		check(fmt.Sprintf("Cases[%d].Deadline", i), c.ID, c.Deadline)
	}
	return joinErrors(errs)
}
