package graph_test

import (
	"strings"
	"testing"

	jsonser "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/provbot/provbot/graph"
)

// These tests pin down how msgraph-sdk-go v1.89.0's generated models
// decode the wire's quirks, which is why the client decodes provisioning
// logs and jobs itself. If the SDK changes, they fail and say so.

func decodeTyped(t *testing.T, body string) (models.ProvisioningObjectSummaryable, error) {
	t.Helper()
	n, err := jsonser.NewJsonParseNode([]byte(body))
	if err != nil {
		return nil, err
	}
	v, err := n.GetObjectValue(models.CreateProvisioningObjectSummaryFromDiscriminatorValue)
	if err != nil {
		return nil, err
	}
	return v.(models.ProvisioningObjectSummaryable), nil
}

func TestSDKDropsEnumValuesItDoesNotKnow(t *testing.T) {
	e, err := decodeTyped(t, `{"id": "a", "provisioningAction": "stageddelete",
		"provisioningSteps": [{"provisioningStepType": "Import", "status": "Success"}],
		"provisioningStatusInfo": {"status": "somethingNew", "errorInformation": null},
		"initiatedBy": {"initiatingType": "system"}}`)
	if err != nil {
		t.Fatalf("typed decode: %v", err)
	}
	if e.GetProvisioningAction() != nil {
		t.Errorf("SDK now reads stageddelete as %v", *e.GetProvisioningAction())
	}
	if s := e.GetProvisioningSteps()[0]; s.GetProvisioningStepType() != nil || s.GetStatus() != nil {
		t.Errorf("SDK now reads Import/Success")
	}
	if e.GetProvisioningStatusInfo().GetStatus() != nil {
		t.Errorf("SDK now reads an unknown status")
	}
	if e.GetInitiatedBy().GetInitiatorType() != nil {
		t.Errorf("SDK now reads initiatingType")
	}
	if _, ok := e.GetInitiatedBy().GetAdditionalData()["initiatingType"]; !ok {
		t.Errorf("initiatingType is no longer kept in additional data")
	}

	// The client keeps them all.
	entries, err := graph.ReadLogs(strings.NewReader(`[{"id": "a", "provisioningAction": "stageddelete",
		"provisioningSteps": [{"provisioningStepType": "Import", "status": "Success"}],
		"provisioningStatusInfo": {"status": "somethingNew", "errorInformation": null},
		"initiatedBy": {"initiatingType": "system"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	got := entries[0]
	if got.RawAction != "stageddelete" || got.Steps[0].RawType != "Import" || got.RawStatus != "somethingNew" || got.InitiatedBy.Type != "system" {
		t.Errorf("client lost a raw value: %+v", got)
	}
}

func TestSDKFailsTheWholeObjectOnAnEmptyTimestamp(t *testing.T) {
	if _, err := decodeTyped(t, `{"id": "b", "activityDateTime": ""}`); err == nil {
		t.Error("SDK now accepts an empty timestamp")
	}
	n, _ := jsonser.NewJsonParseNode([]byte(`{"id": "j", "status": {"quarantine": {"currentBegan": ""}}}`))
	if _, err := n.GetObjectValue(models.CreateSynchronizationJobFromDiscriminatorValue); err == nil {
		t.Error("SDK now accepts an empty quarantine time")
	}
	if _, err := decodeTyped(t, `{"id": "g", "durationInMilliseconds": "12"}`); err == nil {
		t.Error("SDK now accepts a string duration")
	}
}

func TestSDKReadsAZonelessTimestampInTheLocalZone(t *testing.T) {
	// kiota appends time.Now()'s zone to a timestamp without one; the
	// client reads it as UTC, as Graph means it.
	e, err := decodeTyped(t, `{"id": "d", "activityDateTime": "2024-01-01T00:00:00"}`)
	if err != nil || e.GetActivityDateTime() == nil {
		t.Fatalf("typed decode: %v", err)
	}
	entries, err := graph.ReadLogs(strings.NewReader(`[{"id": "d", "activityDateTime": "2024-01-01T00:00:00"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if got := entries[0].ActivityTime; got.Hour() != 0 || got.Location().String() != "UTC" {
		t.Errorf("client time = %v", got)
	}
}

func TestSDKLosesTheFractionOfTimeSpanMaxValue(t *testing.T) {
	n, _ := jsonser.NewJsonParseNode([]byte(`{"id": "j", "schedule": {"interval": "P10675199DT2H48M5.4775807S"}}`))
	v, err := n.GetObjectValue(models.CreateSynchronizationJobFromDiscriminatorValue)
	if err != nil {
		t.Fatalf("typed decode: %v", err)
	}
	if got := v.(models.SynchronizationJobable).GetSchedule().GetInterval().String(); got != "P1525028W3DT2H48M5S" {
		t.Errorf("SDK interval = %s", got)
	}
}

func TestKiotaRefusesTrailingData(t *testing.T) {
	if _, err := jsonser.NewJsonParseNode([]byte(`{"value": []} trailing`)); err == nil {
		t.Error("kiota now accepts trailing data")
	}
	_, err := graph.ReadLogs(strings.NewReader(`{"value": []} trailing`))
	if err == nil || !strings.Contains(err.Error(), "malformed JSON") || !strings.Contains(err.Error(), "byte 14") {
		t.Errorf("ReadLogs error = %v, want malformed JSON at byte 14", err)
	}
}
