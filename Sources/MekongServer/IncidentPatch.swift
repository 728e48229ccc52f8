import MekongCore
import MekongStore

/// The body of `PATCH /v1/incidents/{id}` as the changes `mekong incident update` makes: a
/// status move, an assignment (`"assigned_to": null` unassigns), and field corrections in the
/// shape of a record, which need a `reason`. Seizures given replace all the incident's.
enum IncidentPatch {
    static let controls: Set<String> = ["status", "assigned_to", "reason"]

    static func changes(from object: [String: JSONValue]) throws -> IncidentChanges {
        var changes = IncidentChanges()
        var control = BodyFields(object.filter { controls.contains($0.key) }, allowed: controls)
        var problems: [FieldProblem] = []
        if let text = control.string("status") {
            do { changes.status = try IncidentStatus.parse(text, field: "status") } catch { problems.append(error) }
        }
        switch object["assigned_to"] {
        case nil: break
        case .null?: changes.assignTo = .some(nil)
        case .string(let code)?: changes.assignTo = .some(code)
        case let value?: problems.append(FieldProblem(field: "assigned_to", message: "must be an officer code or null, not \(BodyFields.kind(value))"))
        }
        changes.reason = control.string("reason")
        problems += control.problems

        let corrections = object.filter { !controls.contains($0.key) }
        for key in corrections.keys.sorted() where key == "id" || IncidentJSON.outputOnlyFields.contains(key) {
            problems.append(FieldProblem(field: key, message: "\(key) cannot be changed"))
        }
        // The corrections are read by the record reader itself, so a field has the same type
        // rules here as in `POST /v1/incidents` and in an import.
        changes.corrections = try IncidentJSON.read(Array(JSONValue.object(corrections).canonical.utf8))
        if corrections["seizures"] != nil { changes.seizures = [] }
        if !problems.isEmpty { throw ValidationFailure(problems + changes.corrections.readProblems) }
        guard changes.status != nil || changes.assignTo != nil || changes.hasCorrections else {
            throw APIError(.unprocessableContent, "nothing to change: give status, assigned_to, or fields to correct with a reason")
        }
        return changes
    }
}
