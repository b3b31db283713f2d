// Package emulatorapply is a test applier for an AWS API emulator: it takes
// the offline plan of the program (internal/plan) and creates each resource,
// with exactly the plan's inputs, through aws-sdk-go-v2 against the emulator
// (moto in this project's tests), in dependency order.
//
// It exists so the labctl end-to-end tests check what the program would
// deploy, not a hand-written copy of it: a change to a policy or a setting in
// the program reaches those tests through the plan. It is not a deployer: it
// creates, never updates or deletes, keeps no state, and makes the create
// calls the Terraform AWS provider makes (CreateKey with its policy, then
// EnableKeyRotation, ...) without the provider's retries or read-backs.
//
// Anything it does not understand is an error, never skipped: a resource
// type it has no mapping for, an input it does not know, a value the plan
// could not know ("[unknown]", "[secret]"), or a file asset whose bytes no
// longer match the plan's hash.
//
// The plan's identifiers that the mock engine invented (the KMS key ID and
// ARN, the generated bucket name) are recomputed with the same mocks, and
// replaced by the emulator's real ones in every later input and in the
// plan's outputs, which then read as `pulumi stack output --json` would.
package emulatorapply
