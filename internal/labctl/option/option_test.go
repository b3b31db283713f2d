package option

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProblems(t *testing.T) {
	var p Problems
	assert.NoError(t, p.Err(), "no problem is no error")

	p.Add("alias", `"aws/x"`, "not aws/, which AWS manages")
	p.Add("key-deletion-days", "6", "KMS waits 7 to 30 days before deleting a key")
	err := fmt.Errorf("clean: %w", p.Err())

	var got Problems
	if assert.True(t, errors.As(err, &got), "a caller finds the problems behind the wrapping") {
		assert.Len(t, got, 2)
		assert.Equal(t, "alias", got[0].Name)
	}
	assert.Equal(t, `alias "aws/x": not aws/, which AWS manages; key-deletion-days 6: KMS waits 7 to 30 days before deleting a key`, p.Error())
	assert.Equal(t, `--alias "aws/x": not aws/, which AWS manages; --key-deletion-days 6: KMS waits 7 to 30 days before deleting a key`,
		p.Join(func(pr Problem) string { return "--" + pr.Name }))
}
