// Package docexamples_test runs the command blocks of README.md and
// docs/labctl.md as testscript scripts, offline or against a moto server
// as each block's <!-- test: ... --> comment says, and checks each
// command's exit code and the lines the doc shows it printing. A doc that
// drifts from the program fails here. The convention: docs/testing.md,
// "The docs' examples".
package docexamples_test

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kms-lab/kms-lab/internal/buildinfo"
	"github.com/kms-lab/kms-lab/internal/labctl"
	labctlutil "github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	labplan "github.com/kms-lab/kms-lab/internal/labplan/cmd/root"
	labplanutil "github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// shared starts moto once for every moto block; nothing is built, since
// the scripts run labctl and labplan as this test binary (testscript.Main).
var shared = &mototest.Suite{Name: "doc examples"}

// suiteM runs the tests inside the moto suite.
type suiteM struct{ m *testing.M }

func (s suiteM) Run() int { return shared.Run(s.m) }

// TestMain makes this binary labctl or labplan when a script runs it by
// that name: the same Main as cmd/labctl and cmd/labplan, with the
// process's streams and the build info a checkout has.
func TestMain(m *testing.M) {
	testscript.Main(suiteM{m}, map[string]func(){
		"labctl": func() {
			os.Exit(labctl.Main(context.Background(), labctlutil.New(buildinfo.Resolve("", "", "")), os.Args[1:]))
		},
		"labplan": func() {
			os.Exit(labplan.Main(labplanutil.New(buildinfo.Resolve("", "", "")), os.Args[1:]))
		},
	})
}
