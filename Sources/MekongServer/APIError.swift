import Hummingbird
import MekongCore

/// An error as a client sees it: an HTTP status and `{"error": {"message", "field", "problems"}}`.
///
/// Every error a handler or service throws becomes one of these in `APIError.from`, so the
/// statuses of SPEC section 6 are decided in one place, from the same error kinds that decide
/// the command line's exit codes.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    /// The field or parameter at fault, when one is.
    var field: String?
    /// Every problem of a record that failed validation.
    var problems: [FieldProblem] = []
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    /// 401 with the challenge a client needs to know how to authenticate.
    static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, message)
        error.headers[.wwwAuthenticate] = "Bearer realm=\"mekong\""
        return error
    }

    static var revokedToken: APIError { unauthorized("unknown or revoked token, or the officer is deactivated") }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }

    var response: Response {
        var response = JSONResponse.make(status) { json in
            json.beginObject()
            json.key("error")
            json.beginObject()
            json.field("message", message)
            if let field { json.field("field", field) }
            if !problems.isEmpty {
                json.key("problems")
                json.beginArray()
                for problem in problems {
                    json.beginObject()
                    json.field("field", problem.field)
                    json.field("message", problem.message)
                    json.endObject()
                }
                json.endArray()
            }
            json.endObject()
            json.endObject()
        }
        for field in headers { response.headers.append(field) }
        return response
    }

    /// Whether this is the server's fault rather than the request's (logged with the details).
    var isServerFault: Bool { status.code >= 500 }

    /// `error` as the client should see it. `withBody` tells a request that sent a record (a
    /// usage error then concerns the record: 422) from one with only parameters (400).
    static func from(_ error: any Error, withBody: Bool) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let failure as ValidationFailure:
            var answer = APIError(.unprocessableContent, failure.description, field: failure.problems.first?.field)
            answer.problems = failure.problems
            return answer
        case let problem as FieldProblem:
            return from(ValidationFailure([problem]), withBody: withBody)
        case let error as MekongError:
            switch error.kind {
            case .usage: return APIError(withBody ? .unprocessableContent : .badRequest, error.message, field: error.field)
            case .badData: return APIError(.unprocessableContent, error.message, field: error.field)
            case .inputMissing: return APIError(.badRequest, error.message, field: error.field)
            case .unknownReference:
                // Unknown in the path or query: 404. Named in a body field (the other case of a
                // link, an assignee): the resource exists and the body is wrong, so 422.
                return APIError(error.field == nil ? .notFound : .unprocessableContent, error.message, field: error.field)
            case .forbidden: return APIError(.forbidden, error.message)
            case .conflict: return APIError(.conflict, error.message, field: error.field)
            case .busy:
                var answer = APIError(.serviceUnavailable, error.message)
                answer.headers[.retryAfter] = "1"
                return answer
            case .storage: return APIError(.serviceUnavailable, error.message)
            case .failure: return APIError(.internalServerError, error.message)
            }
        case let error as JSONSyntaxError:
            return APIError(.badRequest, "the body is \(error.description)")
        case let error as any HTTPResponseError:
            // Hummingbird's own: no route (404), a body over `maxUploadSize` (413).
            switch error.status {
            case .notFound: return APIError(.notFound, "no such path")
            case .contentTooLarge: return APIError(.contentTooLarge, "the body is over the limit of \(APIContext.maximumBody) bytes")
            default: return APIError(error.status, (error as? HTTPError)?.body ?? error.status.reasonPhrase)
            }
        default:
            return APIError(.internalServerError, "internal error")
        }
    }
}

/// JSON responses, written with the same `JSONWriter` as the command line's `--format json`.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status = .ok, _ write: (inout JSONWriter) -> Void) -> Response {
        var json = JSONWriter(capacity: 1024)
        write(&json)
        return make(status, bytes: json.bytes)
    }

    static func make(_ status: HTTPResponse.Status = .ok, text: String) -> Response {
        make(status, bytes: Array(text.utf8))
    }

    static func make(_ status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
