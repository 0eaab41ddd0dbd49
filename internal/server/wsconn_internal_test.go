package server

import (
	"encoding/json"
	"testing"
)

// TestEncodeMessageIsEncodingJSON: for gqlgen's protocol messages (strings
// and raw messages) encodeMessage writes what encoding/json writes, and
// anything else it leaves to encoding/json.
func TestEncodeMessageIsEncodingJSON(t *testing.T) {
	type message struct { // the shape of gqlgen's graphql-transport-ws and graphql-ws messages
		Payload json.RawMessage `json:"payload,omitempty"`
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		noOp    bool
	}
	type kind string
	type named struct {
		Raw  json.RawMessage
		Kind kind   `json:"kind"`
		Skip string `json:"-"`
	}
	type other struct {
		N    int    `json:"n"`
		Text string `json:"text"`
	}
	cases := []struct {
		name string
		v    any
	}{
		{"next", &message{Payload: json.RawMessage(`{"data":{"leaderboardUpdated":{"total":3,"entries":[{"rank":1,"nickname":"张三"}]}}}`), ID: "1", Type: "next"}},
		{"no payload, no id", &message{Type: "connection_ack"}},
		{"an id to escape", &message{ID: "a\"b\\c\n<>&\x01", Type: "complete"}},
		{"invalid UTF-8 in an id", &message{ID: "\xff\xfe", Type: "complete"}},
		{"names from field names, no omitempty, a string kind", &named{Kind: "k"}},
		{"a struct it does not handle", &other{N: 1, Text: "x"}},
		{"not a pointer", message{Type: "next"}},
		{"nil", (*message)(nil)},
		{"a map", map[string]any{"type": "ping"}},
	}
	for _, tc := range cases {
		want, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeMessage(tc.v, (*courier)(nil).claim)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: %s, %v; encoding/json: %s", tc.name, got, err, want)
		}
	}
}

// TestEncodeMessageKeepsRawPayloadsValid: a raw payload is written as it
// is; one from a client may be spaced out, and the message stays valid
// JSON meaning the same.
func TestEncodeMessageKeepsRawPayloadsValid(t *testing.T) {
	type message struct {
		Payload json.RawMessage `json:"payload,omitempty"`
		Type    string          `json:"type"`
	}
	got, err := encodeMessage(&message{Payload: json.RawMessage("{ \"a\" : [1, 2] }"), Type: "pong"}, (*courier)(nil).claim)
	if err != nil || !json.Valid(got) {
		t.Fatalf("%s %v", got, err)
	}
	var back struct {
		Payload struct{ A []int }
		Type    string
	}
	if err := json.Unmarshal(got, &back); err != nil || len(back.Payload.A) != 2 || back.Type != "pong" {
		t.Errorf("%s decodes to %+v %v", got, back, err)
	}
}

// TestACourierPayloadIsWrittenInPlaceOfItsStandIn: the message gqlgen
// writes for a courier's stand-in goes out as the message it would have
// written for the payload, once; a stand-in the courier did not issue, or
// one already written, is left as it is.
func TestACourierPayloadIsWrittenInPlaceOfItsStandIn(t *testing.T) {
	type message struct {
		Payload json.RawMessage `json:"payload,omitempty"`
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
	}
	payload := []byte(`{"data":{"leaderboardUpdated":{"total":3,"entries":[{"rank":1,"nickname":"\u003c张三\u003e"}]}}}`)
	c, other := &courier{}, &courier{}
	other.Carry([]byte(`{"data":{}}`))
	standIn, err := json.Marshal(c.Carry(payload)) // as gqlgen's sendResponse encodes it
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(&message{Payload: payload, ID: "7", Type: "next"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		claim func([]byte) ([]byte, bool)
		raw   []byte
		want  string
	}{
		{"its courier's stand-in", c.claim, standIn, string(want)},
		{"the same stand-in again", c.claim, standIn, `{"payload":` + string(standIn) + `,"id":"7","type":"next"}`},
		{"no courier", (*courier)(nil).claim, standIn, `{"payload":` + string(standIn) + `,"id":"7","type":"next"}`},
		{"a number it did not issue", other.claim, []byte(`{"data":9}`), `{"payload":{"data":9},"id":"7","type":"next"}`},
		{"not a stand-in", c.claim, []byte(`{"data":{"x":1}}`), `{"payload":{"data":{"x":1}},"id":"7","type":"next"}`},
	}
	for _, tc := range cases {
		got, err := encodeMessage(&message{Payload: tc.raw, ID: "7", Type: "next"}, tc.claim)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.name, got, err, tc.want)
		}
	}
}
