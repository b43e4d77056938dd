// Package smstext measures and prepares the text of an SMS before it is sent.
//
// Carriers bill per segment, not per message. A body that fits the GSM-7
// alphabet travels as 160 characters in one segment, but a single character
// outside it, such as a curly quote pasted from a word processor, switches the
// whole message to UCS-2, where a segment holds 70. A 150-character alert then
// costs three segments instead of one, for every supporter. Analyze says what
// a body costs, Normalize undoes the typography that would make it costlier,
// and OptOut and WithOptOut add the line that tells supporters how to stop.
package smstext
