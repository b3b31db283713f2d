package page

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/class/status"
)

// TestCausesGroupByKey: the page's "Common mistakes" group failures by
// their cause key, however each account's detail and hint are worded
// (issue 16: "the failures grouped by cause ... for example 'image
// encrypted with SSE-S3', each with its count, its accounts and its hint,
// written once").
func TestCausesGroupByKey(t *testing.T) {
	sseS3 := func(detail, hint string) status.Failure {
		return status.Failure{Check: "object.encryption", Status: status.StatusFail, Cause: "object.encryption=sse-s3", Detail: detail, Hint: hint}
	}
	// Task 4's anonymous GET of a public SSE-S3 image: S3 served it, and
	// check gives it task 3's cause.
	served := status.Failure{Check: "object.anonymous-get", Status: status.StatusFail, Cause: "object.encryption=sse-s3",
		Detail: "HTTP 200: the object was served to an anonymous caller", Hint: "upload it again with SSE-KMS and myFirstKey, then make it public"}
	logsUnknown := status.Failure{Check: "logs.key-activity", Status: status.StatusUnknown, Cause: "logs.key-activity", Detail: "no log file delivered yet"}
	logsFail := status.Failure{Check: "logs.key-activity", Status: status.StatusFail, Cause: "logs.key-activity", Detail: "no record names the key"}
	type cell struct {
		st       status.Status
		failures []status.Failure
	}
	fail := func(fs ...status.Failure) cell { return cell{status.StatusFail, fs} }
	type account struct {
		stack string
		cells map[string]cell // column -> a cell that does not pass
	}
	tests := []struct {
		name     string
		accounts []account
		want     []Cause
	}{
		{"same cause, worded differently: one mistake",
			[]account{
				{"kms101-acct01", map[string]cell{"task3": fail(sseS3("AES256; expected aws:kms with alias/myFirstKey", "re-upload it choosing SSE-KMS and myFirstKey"))}},
				{"kms101-acct02", map[string]cell{"task3": fail(sseS3("ServerSideEncryption AES256 (SSE-S3)", "the image uses SSE-S3: upload it again with SSE-KMS"))}},
			},
			[]Cause{{Key: "object.encryption=sse-s3", Label: "image encrypted with SSE-S3", Column: "task3", Check: "object.encryption", Status: "fail",
				Count: 2, Stacks: []string{"kms101-acct01", "kms101-acct02"}, Hint: "re-upload it choosing SSE-KMS and myFirstKey"}}},
		{"another check failing for the same cause counts once, told by the cause's own check",
			[]account{{"kms101-acct01", map[string]cell{"task4": fail(served), "task3": fail(sseS3("AES256", "re-upload it choosing SSE-KMS and myFirstKey"))}}},
			[]Cause{{Key: "object.encryption=sse-s3", Label: "image encrypted with SSE-S3", Column: "task3", Check: "object.encryption", Status: "fail",
				Count: 1, Stacks: []string{"kms101-acct01"}, Hint: "re-upload it choosing SSE-KMS and myFirstKey"}}},
		{"not graded yet is counted apart from failed",
			[]account{
				{"kms101-acct01", map[string]cell{"task5": fail(logsFail)}},
				{"kms101-acct02", map[string]cell{"task5": {status.StatusUnknown, []status.Failure{logsUnknown}}}},
				{"kms101-acct03", map[string]cell{"task5": {status.StatusUnknown, []status.Failure{logsUnknown}}}},
			},
			[]Cause{
				{Key: "logs.key-activity", Label: "no log record of the key's use", Column: "task5", Check: "logs.key-activity", Status: "unknown",
					Count: 2, Stacks: []string{"kms101-acct02", "kms101-acct03"}},
				{Key: "logs.key-activity", Label: "no log record of the key's use", Column: "task5", Check: "logs.key-activity", Status: "fail",
					Count: 1, Stacks: []string{"kms101-acct01"}},
			}},
		{"an unlabelled cause shows its check's name; a warning is no mistake",
			[]account{{"kms101-acct01", map[string]cell{"task2": fail(
				status.Failure{Check: "trail.kms-key", Status: status.StatusFail, Cause: "trail.kms-key=other", Detail: "arn:aws:kms:..."},
				status.Failure{Check: "trail.event-selectors", Status: "warn", Cause: "trail.event-selectors=advanced", Detail: "advanced event selectors"},
			)}}},
			[]Cause{{Key: "trail.kms-key=other", Label: "trail.kms-key", Column: "task2", Check: "trail.kms-key", Status: "fail",
				Count: 1, Stacks: []string{"kms101-acct01"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &status.Result{Class: "kms101", Mode: class.ByHand}
			for _, id := range []string{"task1", "task2", "task3", "task4", "task5", "task6"} {
				r.Columns = append(r.Columns, status.Column{ID: id, Title: id})
			}
			for _, a := range tt.accounts {
				row := status.Row{Stack: a.stack, Account: "111122223333", Region: "us-west-2"}
				for _, col := range r.Columns {
					c := status.Cell{Column: col.ID, Status: status.StatusPass}
					if want, ok := a.cells[col.ID]; ok {
						c.Status = want.st
						for _, f := range want.failures {
							c.Add(f)
						}
					}
					row.Cells = append(row.Cells, c)
				}
				r.Accounts = append(r.Accounts, row)
			}
			r.Tally()
			assert.Equal(t, tt.want, New(r).Causes)
		})
	}
}
