// Package report is the one vocabulary of labctl's verdicts and the one
// writer of its reports. preflight, verify, check and class status all speak
// of a check as pass, fail, warn, unknown or error, spelt in lower case in
// text and JSON alike, so that a script or a reviewer reads every command's
// output the same way.
//
// The rule behind the words: fail is only ever what was seen in the
// account; a read that AWS refused, throttled, failed or left unanswered
// is unknown, with why and when to try again, never fail.
package report
