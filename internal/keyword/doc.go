// Package keyword tells what an inbound SMS asks for, to stop, to start again
// or to get help, and writes the answer Muster sends back.
//
// Twilio acts on its own English keywords (STOP, START, HELP and their
// synonyms) before Muster sees them: after STOP it refuses to deliver
// anything from that sender to the number (error 21610) until the supporter
// sends START, YES or UNSTOP. The Spanish, Portuguese and French words here
// reach Muster as plain messages, so Muster must act on them itself. That is
// also why every reply names STOP and START rather than ALTO or SIM: those
// are the words Twilio honours everywhere.
package keyword
