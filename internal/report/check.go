package report

// Check is one line of a report. Which fields a command fills is part of its
// documented JSON shape (docs/report.md): preflight and check give Detail;
// verify gives Expected and Observed. Fields with nothing to say are left out
// of the JSON.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Detail is what was seen and, unless the check passes, what to do.
	Detail string `json:"detail,omitempty"`
	// Expected and Observed are verify's comparison: what the stack's
	// outputs say, and what AWS answered.
	Expected string `json:"expected,omitempty"`
	Observed string `json:"observed,omitempty"`
	// Hint is the fix for the cause that was seen, for a check that fails.
	// An unknown check has none: nothing was seen to fix.
	Hint string `json:"hint,omitempty"`
	// Cause is a stable machine key for why the check does not pass, the
	// same for everyone who makes the same mistake: the check's name, or
	// "name=class" where the class of value seen decides the fix
	// ("object.encryption=sse-s3"). Empty means the check's name. Reports
	// group failures by it; the wording of Detail and Hint may change, the
	// key does not.
	Cause string `json:"cause,omitempty"`
}

// Text is the check for a reader: Observed (else Detail), then the
// expectation when it differs and the check does not pass, then the hint.
func (c Check) Text() string {
	text := c.Observed
	if text == "" {
		text = c.Detail
	}
	if c.Status != Pass && c.Expected != "" && c.Expected != c.Observed {
		text += " (expected: " + c.Expected + ")"
	}
	if c.Hint != "" {
		text += ". Hint: " + c.Hint
	}
	return text
}

// Checks is a report made of checks alone: {"checks": [...]}, the shape
// of preflight and verify.
type Checks struct {
	Checks []Check `json:"checks"`
}

// Failed reports whether any check failed.
func (r *Checks) Failed() bool { return Count(r.Checks)[Fail] > 0 }

// Count counts checks by status.
func Count(checks []Check) map[Status]int {
	n := map[Status]int{}
	for _, c := range checks {
		n[c.Status]++
	}
	return n
}

// Worst is the verdict of a group from its members' verdicts: any fail
// fails it, else any unknown or error makes it unknown, else it passes.
// A warn does not lower a pass.
func Worst(statuses ...Status) Status {
	out := Pass
	for _, s := range statuses {
		switch s {
		case Fail:
			return Fail
		case Unknown, Error:
			out = Unknown
		}
	}
	return out
}
