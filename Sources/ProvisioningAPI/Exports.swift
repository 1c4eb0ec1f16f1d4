// `JSONValue` is the client's vocabulary (every request body and response is one), so whoever imports the client
// gets it too.
@_exported import JSONSyntax
