package labctl

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
)

type verifyFlags struct {
	common commonFlags
	json   bool
}

func (a *App) newVerifyCmd(run runFunc) *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify [-|--outputs FILE] [--json]",
		Short: "Check a deployed lab account against the stack outputs",
		Long:  verifyLong,
		Example: `  pulumi stack output --json | labctl verify -
  labctl verify --outputs outputs.json --json`,
		ValidArgsFunction: stdinArg,
	}
	f.common.register(cmd)
	cmd.Flags().BoolVar(&f.json, "json", false, `print {"checks": [...]} instead of the checklist`)
	cmd.RunE = run(func(ctx context.Context, args []string) (int, error) { return a.verify(ctx, &f, args) })
	return cmd
}

func (a *App) verify(ctx context.Context, f *verifyFlags, positional []string) (int, error) {
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
