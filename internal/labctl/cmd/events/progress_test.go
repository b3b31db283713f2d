package events

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	labevents "github.com/kms-lab/kms-lab/internal/labctl/events"
)

func TestProgress(t *testing.T) {
	uploaded := time.Date(2026, 11, 26, 17, 52, 3, 0, time.UTC)
	file := labevents.LogFile{Key: "AWSLogs/1/CloudTrail/us-west-2/2026/11/26/f.json.gz", LastModified: uploaded.Add(4 * time.Minute)}

	var tty bytes.Buffer
	p := newProgress(&tty, true, uploaded, 15*time.Minute)
	p.update(0)
	p.update(5 * time.Second)
	p.done(file)
	assert.Equal(t, ""+
		"\r\033[K| waiting for a CloudTrail log file newer than the image (2026-11-26T17:52:03Z): 0s of 15m0s"+
		"\r\033[K/ waiting for a CloudTrail log file newer than the image (2026-11-26T17:52:03Z): 5s of 15m0s"+
		"\r\033[K"+
		"log file delivered: AWSLogs/1/CloudTrail/us-west-2/2026/11/26/f.json.gz (2026-11-26T17:56:03Z)\n", tty.String())

	// In a pipe or a CI log: one line when waiting starts, one when it ends.
	var pipe bytes.Buffer
	p = newProgress(&pipe, false, uploaded, 15*time.Minute)
	p.update(0)
	p.update(5 * time.Second)
	p.done(file)
	assert.Equal(t, ""+
		"waiting for a CloudTrail log file newer than the image (2026-11-26T17:52:03Z), up to 15m0s\n"+
		"log file delivered: AWSLogs/1/CloudTrail/us-west-2/2026/11/26/f.json.gz (2026-11-26T17:56:03Z)\n", pipe.String())
}
