// Package route matches a request's method and path to a resource and
// method of a compiled API, with API Gateway's (REST v1) priorities:
// literal segments beat {param} segments, which beat a greedy {proxy+};
// an explicit method beats ANY on the same resource; a path whose
// resource lacks the method does not match. It imports only apimodel;
// the Table is built once per deployment and read by every request.
//
// The path a Table matches is the decoded request path (url.URL.Path), so
// path parameters come out decoded and are never decoded twice.
//
// Where the AWS documentation is silent:
//   - Trailing slashes are ignored ("/pets/" is "/pets"), as LocalStack's
//     router does and its AWS-recorded trailing-slash tests show.
//   - The path chooses the resource first; when that resource lacks the
//     method, the request does not match, even if a less specific
//     resource (a {proxy+} with ANY) has it [guess: AWS answers Missing
//     Authentication Token for a defined path with the wrong method;
//     LocalStack instead falls back to the next resource].
//   - A resource without methods is invisible, so matching continues past
//     it (an intermediate "/a" never hides "/{proxy+}") [guess].
package route
