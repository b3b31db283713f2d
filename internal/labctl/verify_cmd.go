package labctl

import (
	"context"
	"flag"
	"fmt"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
)

type verifyFlags struct {
	common commonFlags
	json   bool
}

func newVerifyFlags(f *verifyFlags) *flag.FlagSet {
	fs := newFlagSet("verify")
	f.common.register(fs)
	fs.BoolVar(&f.json, "json", false, `print {"checks": [...]} instead of the checklist`)
	return fs
}

func (a *App) verify(ctx context.Context, args []string) (int, error) {
	var f verifyFlags
	positional, err := parseCommand(newVerifyFlags(&f), args, a.Stdout)
	if err != nil {
		return ExitError, err
	}
	out, err := f.common.loadOutputs(positional, a.Stdin)
	if err != nil {
		return ExitError, err
	}
	clients, id, err := f.common.connect(ctx, out)
	if err != nil {
		return ExitError, err
	}
	v := &verify.Verifier{
		Outputs: out, KMS: clients.KMS, S3: clients.S3, CloudTrail: clients.CloudTrail,
		HTTP: verify.NewHTTPClient(), Endpoint: clients.Endpoint,
		Target: awsclient.Target{Region: clients.Region, Account: out.AccountID, Caller: id.ARN, Endpoint: clients.Endpoint},
	}
	report := v.Run(ctx)
	if f.json {
		err = verify.WriteJSON(a.Stdout, report)
	} else {
		fmt.Fprintf(a.Stdout, "lab stack in account %s, %s (as %s)\n", out.AccountID, clients.Region, id.ARN)
		err = verify.WriteText(a.Stdout, report)
	}
	if err != nil {
		return ExitError, fmt.Errorf("writing the report: %w", err)
	}
	if report.Failed() {
		return ExitFailed, nil
	}
	return ExitOK, nil
}
