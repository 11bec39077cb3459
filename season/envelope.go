package season

import (
	"bytes"
	"encoding/json"
	"strings"
)

// request is a parsed envelope: the header, echoed in the answer, and command1's members.
type request struct {
	header map[string]json.RawMessage
	body   map[string]json.RawMessage // command1, every member as sent
	cmd    string                     // lower case: "ping"
	uid    string
	dsn    string
	ref    json.RawMessage // echoed as sent; nil when absent
}

// parseEnvelope reads the seed's envelope: {header:{...}, command1:{cmd, uid, dsn, ref?,
// ...}}. Members it does not know are kept for the command, or ignored.
func parseEnvelope(data []byte) (request, *failure) {
	var env struct {
		Header   map[string]json.RawMessage `json:"header"`
		Command1 map[string]json.RawMessage `json:"command1"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return request{}, failf(ResultMalformed, "The body is not a JSON envelope {header, command1}: %s.", jsonProblem(err))
	}
	if env.Header == nil || env.Command1 == nil {
		return request{}, failf(ResultMalformed, "The envelope needs a header object and a command1 object.")
	}
	req := request{header: env.Header, body: env.Command1, ref: env.Command1["ref"]}
	if f := req.strings(); f != nil {
		return req, f
	}
	req.cmd = strings.ToLower(req.cmd)
	return req, nil
}

// strings reads command1's cmd, uid and dsn: each a string, cmd and dsn required.
func (req *request) strings() *failure {
	for _, m := range []struct {
		name     string
		to       *string
		required bool
	}{{"cmd", &req.cmd, true}, {"uid", &req.uid, false}, {"dsn", &req.dsn, true}} {
		raw, ok := req.body[m.name]
		if !ok || bytes.Equal(raw, []byte("null")) {
			if m.required {
				return failf(ResultMissingField, "command1 needs %s.", m.name)
			}
			continue
		}
		if err := json.Unmarshal(raw, m.to); err != nil || len(*m.to) > 200 {
			return failf(ResultInvalidField, "command1.%s must be a string of at most 200 characters.", m.name)
		}
	}
	return nil
}

// jsonProblem says in words what is wrong with a JSON body.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return "it is not valid JSON"
	case *json.UnmarshalTypeError:
		if e.Field == "" {
			return "it must be a JSON object"
		}
		return e.Field + " must be an object"
	}
	return "it is not valid JSON"
}

// answer is the body of every answer: command1 (cmd, ref, result, sql_code, the
// command's fields or error_detail) and the request's header echoed with ats_version and
// result.
func answer(req request, result int, fields map[string]any, detail string) map[string]any {
	cmd := make(map[string]any, len(fields)+5)
	for k, v := range fields {
		cmd[k] = v
	}
	cmd["cmd"] = req.cmd
	if req.ref != nil {
		cmd["ref"] = req.ref
	} else {
		cmd["ref"] = ""
	}
	cmd["result"] = result
	cmd["sql_code"] = 0
	if result != ResultOK {
		cmd["error_detail"] = detail
	}
	header := make(map[string]any, len(req.header)+2)
	for k, v := range req.header {
		header[k] = v
	}
	header["ats_version"] = ATSVersion
	header["result"] = result
	return map[string]any{"command1": cmd, "header": header}
}

// ATSVersion is the version this server gives in every answer's header.
const ATSVersion = "ticketbooth-1"
