// Package storetest is the store's test suite, written against the Store's
// methods only, so that every database the store speaks runs the same tests.
package storetest

import (
	"testing"

	"github.com/muster-org/muster/internal/store"
)

// Opener returns a new, migrated, empty store, closed when the test ends.
type Opener func(t *testing.T) *store.Store

// Run runs the whole suite against the stores open returns.
func Run(t *testing.T, open func(t *testing.T) *store.Store) {
	areas := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"Migrate", testMigrate},
		{"APIKeys", testAPIKeys},
		{"Campaigns", testCampaigns},
		{"UpsertSupporters", testUpsertSupporters},
		{"UpsertNeverResubscribes", testUpsertNeverResubscribes},
		{"ListSupporters", testListSupporters},
		{"SupporterByID", testSupporterByID},
		{"CreateAlert", testCreateAlert},
		{"AudienceBreakdown", testAudienceBreakdown},
		{"FanoutAudience", testFanoutAudience},
		{"FanoutResumed", testFanoutResumed},
		{"FanoutConcurrent", testFanoutConcurrent},
		{"FanoutFinalAlert", testFanoutFinalAlert},
		{"ClaimConcurrent", testClaimConcurrent},
		{"ClaimDeliveries", testClaimDeliveries},
		{"ClaimStale", testClaimStale},
		{"RecordResults", testRecordResults},
		{"ClaimAndRecordMany", testClaimAndRecordMany},
		{"RecordSuppression", testRecordSuppression},
		{"FinishQueued", testFinishQueued},
		{"DeferQueued", testDeferQueued},
		{"AlertCountsAndList", testAlertCountsAndList},
		{"StartAlert", testStartAlert},
		{"CancelAlert", testCancelAlert},
		{"ExpireAlerts", testExpireAlerts},
		{"FinishAlert", testFinishAlert},
		{"BlockChannel", testBlockChannel},
		{"StalledFanouts", testStalledFanouts},
		{"StalledBatches", testStalledBatches},
		{"StalledSending", testStalledSending},
		{"UnfinishedAlerts", testUnfinishedAlerts},
		{"ConfirmAndUnsubscribe", testConfirmAndUnsubscribe},
		{"PhoneStopStart", testPhoneStopStart},
		{"SuppressionList", testSuppressionList},
		{"EraseSupporter", testEraseSupporter},
		{"RecordReceipt", testRecordReceipt},
		{"UnsentConfirmations", testUnsentConfirmations},
		{"PersonJoin", testPersonJoin},
		{"JoinStartsPending", testJoinStartsPending},
		{"JoinHeldNumber", testJoinHeldNumber},
		{"JoinEmailStanding", testJoinEmailStanding},
		{"JoinContacts", testJoinContacts},
		{"UpsertHeldContact", testUpsertHeldContact},
		{"ClaimHeldNumber", testClaimHeldNumber},
		{"EmailIdentity", testEmailIdentity},
		{"SuppressContacts", testSuppressContacts},
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) { a.run(t, open) })
	}
}
